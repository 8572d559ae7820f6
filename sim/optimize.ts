/**
 * One-dimensional maximisation for the arbitrageur: bracket a maximum of a unimodal function
 * by stepping from a guess, then refine it with Brent's method (parabolic interpolation with
 * golden-section fallback). Points where the function is undefined are passed as -Infinity.
 */

const GOLD = 0.381966011250105; // (3 - sqrt 5) / 2

/** A bracket a < b < c with f(b) >= f(a) and f(b) >= f(c). */
export interface Bracket {
  a: number;
  b: number;
  c: number;
  fb: number;
}

/**
 * Brackets a maximum of `f` by stepping from `x0` with a growing step, up or down, at most
 * `maxSteps` times and never below `lo`. Returns null when the maximum is at `lo` (the
 * function falls all the way from `lo` upwards) or no bracket is found in `maxSteps`.
 */
export function bracketMax(
  f: (x: number) => number,
  x0: number,
  step: number,
  lo: number,
  maxSteps = 60,
): Bracket | null {
  const f0 = f(x0);
  const fUp = f(x0 + step);
  if (fUp > f0) {
    let [prev, cur, fcur, h] = [x0, x0 + step, fUp, step];
    for (let i = 0; i < maxSteps; i++) {
      h *= 1.6;
      const next = cur + h;
      const fn = f(next);
      if (fn <= fcur) return { a: prev, b: cur, c: next, fb: fcur };
      [prev, cur, fcur] = [cur, next, fn];
    }
    return null;
  }
  let [prev, cur, fcur, h] = [x0 + step, x0, f0, step];
  for (let i = 0; i < maxSteps; i++) {
    const next = Math.max(lo, cur - h);
    if (next >= cur) return null;
    const fn = f(next);
    if (fn <= fcur) return { a: next, b: cur, c: prev, fb: fcur };
    [prev, cur, fcur] = [cur, next, fn];
    h *= 1.6;
  }
  return null;
}

/**
 * Brent's method on a bracket: the x (and f(x)) of a local maximum of `f` within
 * [br.a, br.c], to an absolute tolerance `tol` in x.
 */
export function brentMax(f: (x: number) => number, br: Bracket, tol: number, maxIter = 60): { x: number; fx: number } {
  let a = br.a;
  let b = br.c;
  let x = br.b;
  let w = x;
  let v = x;
  // Work on g = -f (minimisation), as in the textbook algorithm.
  let fx = -br.fb;
  let fw = fx;
  let fv = fx;
  let d = 0;
  let e = 0;
  for (let iter = 0; iter < maxIter; iter++) {
    const xm = 0.5 * (a + b);
    const tol1 = tol + 1e-12 * Math.abs(x);
    const tol2 = 2 * tol1;
    if (Math.abs(x - xm) <= tol2 - 0.5 * (b - a)) break;
    let useGolden = true;
    if (Math.abs(e) > tol1) {
      // Parabola through x, w, v.
      const r = (x - w) * (fx - fv);
      let q = (x - v) * (fx - fw);
      let p = (x - v) * q - (x - w) * r;
      q = 2 * (q - r);
      if (q > 0) p = -p;
      q = Math.abs(q);
      const eOld = e;
      e = d;
      if (Number.isFinite(p) && Math.abs(p) < Math.abs(0.5 * q * eOld) && p > q * (a - x) && p < q * (b - x)) {
        d = p / q;
        const u = x + d;
        if (u - a < tol2 || b - u < tol2) d = xm >= x ? tol1 : -tol1;
        useGolden = false;
      }
    }
    if (useGolden) {
      e = x >= xm ? a - x : b - x;
      d = GOLD * e;
    }
    const u = Math.abs(d) >= tol1 ? x + d : x + (d > 0 ? tol1 : -tol1);
    const fu = -f(u);
    if (fu <= fx) {
      if (u >= x) a = x;
      else b = x;
      [v, fv, w, fw, x, fx] = [w, fw, x, fx, u, fu];
    } else {
      if (u < x) a = u;
      else b = u;
      if (fu <= fw || w === x) {
        [v, fv, w, fw] = [w, fw, u, fu];
      } else if (fu <= fv || v === x || v === w) {
        [v, fv] = [u, fu];
      }
    }
  }
  return { x, fx: -fx };
}
