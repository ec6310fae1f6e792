// Limited-memory BFGS for the attack head's loss, which is smooth and (with its L2 penalty) strictly
// convex, so the optimum is unique and any converging method finds the same weights. Written here because
// no maintained npm package offers it without a tensor runtime; it takes about one loss evaluation a
// step where conjugate gradient with a Wolfe line search takes five.

export interface LbfgsOptions {
  /** How many recent steps approximate the curvature. */
  memory: number;
  maxIterations: number;
  /** Stop when an iteration lowers the loss by less than this share of it. */
  tolerance: number;
}

/** `loss(x, grad)` returns the loss at x and writes its gradient into grad. */
export type Loss = (x: Float64Array, grad: Float64Array) => number;

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
};

export function lbfgs(loss: Loss, start: Float64Array, options: Partial<LbfgsOptions> = {}): { x: Float64Array; value: number; iterations: number } {
  const { memory, maxIterations, tolerance } = { memory: 10, maxIterations: 300, tolerance: 1e-9, ...options };
  const n = start.length;
  const x = Float64Array.from(start);
  const g = new Float64Array(n);
  let value = loss(x, g);
  const ss: Float64Array[] = [];
  const ys: Float64Array[] = [];
  const rho: number[] = [];
  const direction = new Float64Array(n);
  const next = new Float64Array(n);
  const nextGrad = new Float64Array(n);
  let iterations = 0;
  for (; iterations < maxIterations; iterations++) {
    // Two-loop recursion: direction = -H·g, H the inverse-curvature estimate from the stored steps.
    direction.set(g);
    const alpha = new Array<number>(ss.length);
    for (let k = ss.length - 1; k >= 0; k--) {
      alpha[k] = rho[k] * dot(ss[k], direction);
      for (let i = 0; i < n; i++) direction[i] -= alpha[k] * ys[k][i];
    }
    const scale = ss.length ? dot(ss.at(-1)!, ys.at(-1)!) / dot(ys.at(-1)!, ys.at(-1)!) : 1 / Math.sqrt(dot(g, g) || 1);
    for (let i = 0; i < n; i++) direction[i] *= scale;
    for (let k = 0; k < ss.length; k++) {
      const beta = rho[k] * dot(ys[k], direction);
      for (let i = 0; i < n; i++) direction[i] += ss[k][i] * (alpha[k] - beta);
    }
    for (let i = 0; i < n; i++) direction[i] = -direction[i];
    let slope = dot(g, direction);
    if (slope >= 0) {
      // Not a descent direction (curvature estimate gone stale): restart from the gradient.
      ss.length = ys.length = rho.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -g[i];
      slope = -dot(g, g);
    }
    // Backtracking line search (Armijo): the full quasi-Newton step is almost always taken.
    let step = 1;
    let nextValue = Infinity;
    for (let tries = 0; tries < 30; tries++, step /= 2) {
      for (let i = 0; i < n; i++) next[i] = x[i] + step * direction[i];
      nextValue = loss(next, nextGrad);
      if (nextValue <= value + 1e-4 * step * slope) break;
    }
    if (!(nextValue < value)) break;
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = next[i] - x[i];
      y[i] = nextGrad[i] - g[i];
    }
    const sy = dot(s, y);
    if (sy > 1e-12) {
      ss.push(s);
      ys.push(y);
      rho.push(1 / sy);
      if (ss.length > memory) {
        ss.shift();
        ys.shift();
        rho.shift();
      }
    }
    const drop = value - nextValue;
    x.set(next);
    g.set(nextGrad);
    value = nextValue;
    if (drop <= tolerance * Math.max(1, Math.abs(value))) {
      iterations++;
      break;
    }
  }
  return { x, value, iterations };
}
