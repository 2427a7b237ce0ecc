/**
 * A small deterministic generator for the differential tests' inputs (a linear congruential
 * generator with Numerical Recipes' constants): the same seed gives the same cases, so a failure
 * reproduces. Returns a function giving a whole number below its argument, from the state's high
 * bits.
 */
export function seeded(seed: number): (below: number) => number {
  let s = seed >>> 0;
  return (below) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    // The high bits: an LCG's low bits repeat with short periods (bit k with period 2^(k+1)), so
    // `s % 3` or `s % 2` fall into patterns that leave whole cases out.
    return Math.floor((s / 2 ** 32) * below);
  };
}
