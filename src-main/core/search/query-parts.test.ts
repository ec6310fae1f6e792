import { describe, expect, it } from 'vitest';
import { queryParts } from './query-parts.js';

describe('queryParts', () => {
  it('keeps a one-step query whole', () => {
    expect(queryParts('read a file')).toEqual(['read a file']);
    expect(queryParts('  list open issues. ')).toEqual(['list open issues.']);
  });

  it('splits a whole task into its steps, after the task itself', () => {
    expect(queryParts('Read the Wikipedia article on Llullaillaco, summarise it and save it to notes.md')).toEqual([
      'Read the Wikipedia article on Llullaillaco, summarise it and save it to notes.md',
      'Read the Wikipedia article on Llullaillaco',
      'summarise it',
      'save it to notes.md',
    ]);
  });

  it('drops one-word fragments and keeps at most six clauses', () => {
    const parts = queryParts('a b, c, d e, f g, h i, j k, l m, n o, p q');
    expect(parts).toHaveLength(7);
    expect(parts.slice(1)).toEqual(['a b', 'd e', 'f g', 'h i', 'j k', 'l m']);
  });
});
