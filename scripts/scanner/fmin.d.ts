// The part of fmin (no types of its own) the scanner's training uses.
declare module 'fmin' {
  const fmin: {
    /** Minimises f, which returns the value at x and writes its gradient into grad. */
    conjugateGradient(f: (x: number[], grad: number[]) => number, initial: number[], params?: { maxIterations?: number }): { x: number[]; fx: number };
  };
  export default fmin;
}
