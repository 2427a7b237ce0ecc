/**
 * A small deterministic generator for the differential tests' inputs (a linear congruential
 * generator with Numerical Recipes' constants): the same seed gives the same cases, so a failure
 * reproduces. Returns a function giving a whole number below its argument.
 */
export function seeded(seed: number): (below: number) => number {
  let s = seed >>> 0;
  return (below) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s % below;
  };
}
