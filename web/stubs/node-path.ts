// Browser stand-in for node:path (POSIX separators only; enough for messages).
export const join = (...parts: string[]): string => parts.filter((p) => p !== '').join('/').replace(/\/+/g, '/');
export const dirname = (p: string): string => {
  const i = p.replace(/\/+$/, '').lastIndexOf('/');
  return i < 0 ? '.' : i === 0 ? '/' : p.slice(0, i);
};
export const basename = (p: string): string => p.replace(/\/+$/, '').split('/').pop() ?? '';
export default { join, dirname, basename };
