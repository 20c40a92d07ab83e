// KaTeX's stylesheet for a self-contained page: the HTML output of KaTeX needs
// its CSS and fonts (MathML renders poorly in Chromium: dot accents nearly
// invisible, no stretchy delimiters). The fonts are embedded as data: URLs,
// woff2 only (every current browser reads it), and only the families the page
// uses, so the report stays one offline file of modest size.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

let cached: string | undefined;
function katexCss(): { css: string; fonts: string } {
  const file = createRequire(import.meta.url).resolve('katex/dist/katex.min.css');
  cached ??= readFileSync(file, 'utf8');
  return { css: cached, fonts: join(dirname(file), 'fonts') };
}

/** KaTeX's CSS with the @font-face rules of the families `html` uses, their woff2 files inlined. */
export function katexStylesheet(html: string): string {
  const { css, fonts } = katexCss();
  const classes = new Set<string>();
  for (const m of html.matchAll(/class="([^"]*)"/g)) for (const c of m[1].split(/\s+/)) classes.add(c);
  // A family is used when some rule naming it applies: every class of one of its selectors occurs in the page.
  const used = new Set<string>();
  for (const [, selectors, body] of css.matchAll(/([^{}@]+)\{([^{}]*)\}/g)) {
    const families = [...body.matchAll(/KaTeX_\w+/g)].map((m) => m[0]);
    if (families.length === 0) continue;
    const applies = selectors.split(',').some((s) => {
      const needed = [...s.matchAll(/\.([\w-]+)/g)].map((m) => m[1]);
      return needed.length > 0 && needed.every((c) => classes.has(c));
    });
    if (applies) for (const f of families) used.add(f);
  }
  return css.replace(/@font-face\{([^}]*)\}/g, (rule, body: string) => {
    const family = /font-family:(KaTeX_\w+)/.exec(body)?.[1];
    const woff2 = /url\(fonts\/([\w-]+\.woff2)\)/.exec(body)?.[1];
    if (!family || !woff2 || !used.has(family)) return '';
    const data = readFileSync(join(fonts, woff2)).toString('base64');
    return rule.replace(/src:[^;}]*/, `src:url(data:font/woff2;base64,${data}) format("woff2")`);
  });
}
