/** Browser stand-in for node:fs (see vite.config.ts): only loadScenario/loadDesign use it. */
export function readFileSync(): never {
  throw new Error('reading files by path is not available in the browser; use the import buttons');
}
