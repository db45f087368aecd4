/**
 * The conic solver reads debug switches from process.env (src/conic/ipm.ts, kkt.ts) and can
 * log to process.stderr. Browsers have no `process`; this minimal stand-in keeps those reads
 * harmless. Import it before anything from ../src.
 */
const g = globalThis as { process?: unknown };
g.process ??= { env: {}, stderr: { write: (s: string) => console.debug(s) } };
export {};
