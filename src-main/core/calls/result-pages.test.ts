import { describe, expect, it } from 'vitest';
import { ResultPages } from './result-pages.js';

describe('ResultPages', () => {
  it('leaves a result that fits alone', () => {
    const pages = new ResultPages(() => 1000);
    const result = { content: [{ type: 'text' as const, text: 'short' }] };
    expect(pages.fit(result).result).toBe(result);
  });

  it('cuts a long result and gives back every character through the handle', () => {
    const pages = new ResultPages(() => 1000);
    const full = Array.from({ length: 500 }, (_, i) => `line ${i}`).join('\n');
    const { result: cut } = pages.fit({ content: [{ type: 'text', text: full }] });
    const [head, footer] = cut.content as { text: string }[];
    expect(head.text.length).toBe(1000);
    const handle = /"handle":"([^"]+)"/.exec(footer.text)![1];
    let offset = 1000;
    let rebuilt = head.text;
    for (;;) {
      const page = pages.read(handle, offset).content as { text: string }[];
      rebuilt += page[0].text;
      const next = /"offset":(\d+)/.exec(page[1].text);
      if (!next) break;
      offset = Number(next[1]);
    }
    expect(rebuilt).toBe(full);
  });

  it('says so when a handle is unknown', () => {
    const pages = new ResultPages(() => 1000);
    const r = pages.read('r_nope');
    expect(r.isError).toBe(true);
  });
});
