// Types of scripts/schemas.mjs, for the tests that import it.
/** Report type → schema file name (without .schema.json). */
export declare const SCHEMAS: Readonly<Record<string, string>>;
/** The schemas as { file name: JSON text }. */
export declare function generateSchemas(): Record<string, string>;
