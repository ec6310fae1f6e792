import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readMessages } from './line-buffer.js';

function feed(chunks: (string | Buffer)[], maxBytes?: number) {
  const stream = new PassThrough();
  const messages: unknown[] = [];
  const errors: string[] = [];
  readMessages(stream, (m) => messages.push(m), (e) => errors.push(e.message), maxBytes);
  for (const c of chunks) stream.write(c);
  return { messages, errors };
}

describe('readMessages', () => {
  it('splits newline-delimited JSON however the bytes are chunked, multi-byte characters included', () => {
    const text = `${JSON.stringify({ id: 1, text: 'héllo ✓' })}\n\n${JSON.stringify({ id: 2 })}\r\n${JSON.stringify({ id: 3 })}\n`;
    const bytes = Buffer.from(text);
    for (const size of [1, 2, 3, 7, bytes.length]) {
      const chunks: Buffer[] = [];
      for (let i = 0; i < bytes.length; i += size) chunks.push(bytes.subarray(i, i + size));
      expect(feed(chunks).messages).toEqual([{ id: 1, text: 'héllo ✓' }, { id: 2 }, { id: 3 }]);
    }
  });

  it('reports a line that is not JSON and goes on with the next', () => {
    const { messages, errors } = feed(['garbage here\n{"id":4}\n']);
    expect(errors[0]).toMatch(/not JSON-RPC: garbage here/);
    expect(messages).toEqual([{ id: 4 }]);
  });

  it('turns a message over the limit into an error answer to its request, and reads on', () => {
    const big = `{"jsonrpc":"2.0","id":"call-7","result":{"content":[{"type":"text","text":"${'x'.repeat(5000)}"}]}}\n`;
    const { messages } = feed([big.slice(0, 1000), big.slice(1000), '{"id":8}\n'], 2000);
    expect(messages).toEqual([
      { jsonrpc: '2.0', id: 'call-7', error: { code: -32603, message: expect.stringMatching(/sent a message of 0\.0 MB, over the 0 MB limit \(maxMessageMB/) } },
      { id: 8 },
    ]);
  });
});
