/** Complex dense linear algebra (layout: see complex.ts) and the reproducible PRNG. */
export * from './complex.ts';
export * from './complex-decomp.ts';
export * from './prng.ts';
