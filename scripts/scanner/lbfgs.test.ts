import { describe, expect, it } from 'vitest';
import { lbfgs, type Loss } from './lbfgs.js';

describe('L-BFGS', () => {
  it('finds the minimum of an ill-conditioned quadratic, where A x = b', () => {
    // f(x) = ½ xᵀA x − bᵀx with A diagonal, eigenvalues from 1 to 10⁴.
    const a = [1, 10, 100, 1000, 10000];
    const b = [1, -2, 3, -4, 5];
    const loss: Loss = (x, grad) => {
      let f = 0;
      for (let i = 0; i < x.length; i++) {
        f += 0.5 * a[i] * x[i] * x[i] - b[i] * x[i];
        grad[i] = a[i] * x[i] - b[i];
      }
      return f;
    };
    const { x } = lbfgs(loss, new Float64Array(5), { maxIterations: 500 });
    x.forEach((v, i) => expect(v).toBeCloseTo(b[i] / a[i], 6));
  });

  it('follows the curved valley of the Rosenbrock function to (1, 1)', () => {
    const loss: Loss = ([u, v], grad) => {
      grad[0] = -2 * (1 - u) - 400 * u * (v - u * u);
      grad[1] = 200 * (v - u * u);
      return (1 - u) ** 2 + 100 * (v - u * u) ** 2;
    };
    const { x, value } = lbfgs(loss, Float64Array.from([-1.2, 1]), { maxIterations: 1000 });
    expect(value).toBeLessThan(1e-8);
    expect(x[0]).toBeCloseTo(1, 3);
    expect(x[1]).toBeCloseTo(1, 3);
  });

  it('stops at the start when the start is already the minimum', () => {
    const loss: Loss = (x, grad) => {
      grad[0] = 2 * x[0];
      return x[0] * x[0];
    };
    const { x, iterations } = lbfgs(loss, Float64Array.from([0]));
    expect(x[0]).toBe(0);
    expect(iterations).toBeLessThanOrEqual(1);
  });
});
