import { describe, expect, it } from 'vitest';
import { fuse } from './hybrid.js';

const none = { ids: [], scores: [] };

describe('fuse', () => {
  it('ranks a tool found by meaning alone above weak keyword matches', () => {
    const ranked = fuse([{ ids: ['a', 'b'], scores: [1, 0.9] }], [{ ids: ['c', 'a', 'b'], scores: [0.8, 0.3, 0.2], floor: 0.2 }], 3);
    expect(ranked.map((r) => r.id)).toEqual(['c', 'a', 'b']);
  });

  it("lifts a step's tool that the whole task does not bring up", () => {
    const whole = { ids: ['search', 'read'], scores: [2, 1] };
    const wholeNear = { ids: ['search', 'read', 'write'], scores: [0.7, 0.3, 0.25], floor: 0.1 };
    const withoutClauses = fuse([whole], [wholeNear], 3).map((r) => r.id);
    const withClause = fuse([whole, none], [wholeNear, { ids: ['write', 'read'], scores: [0.9, 0.2], floor: 0.2 }], 3).map((r) => r.id);
    expect(withoutClauses.indexOf('write')).toBe(2);
    expect(withClause.indexOf('write')).toBeLessThan(2);
  });

  it('answers with keywords when the model found nothing', () => {
    expect(fuse([{ ids: ['x', 'y'], scores: [3, 1] }], [{ ids: [], scores: [], floor: 0 }], 5).map((r) => r.id)).toEqual(['x', 'y']);
  });
});
