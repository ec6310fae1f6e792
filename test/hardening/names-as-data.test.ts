// Hole 2: a server whose tools are named like Object's members ("constructor", "toString",
// "hasOwnProperty", "__proto__") must be reviewed, approved, blocked, listed, searched and called like
// any other, and keep working after a restart.
import { afterEach, describe, expect, it } from 'vitest';
import type { Gatehouse } from '../../src-main/core/index.js';
import { allButFlagged } from '../../src-shared/trust.js';
import { connectClient, openCore, servers, tempHome, textOf } from '../helpers.js';

const opened: { core: Gatehouse; cleanup: () => void }[] = [];
afterEach(async () => {
  for (const { core, cleanup } of opened.splice(0)) {
    await core.close();
    cleanup();
  }
});

describe('names a server sends are data', () => {
  it('handles tools named constructor, toString, hasOwnProperty and __proto__ through review, approval, blocking, search and calls', async () => {
    const t = await tempHome({ mcpServers: { odd: servers.fixture('odd-names-server.mjs'), constructor: servers.fixture('odd-names-server.mjs') } }, { quarantine: true });
    let { core, api } = await openCore(t.home);
    opened.push({ core, cleanup: () => undefined });
    const { review } = await api.call('servers.review', { name: 'odd' });
    const names = review.tools.map((tool) => tool.name);
    expect(names).toEqual(['constructor', 'toString', 'hasOwnProperty', '__proto__', 'valueOf', 'plain_tool']);
    expect(review.tools.every((tool) => tool.trust === 'pending')).toBe(true);
    await api.call('servers.approve', { name: 'odd', reviewed: review.reviewed });
    await api.call('servers.block', { name: 'odd', tools: ['toString', '__proto__'] });
    await api.call('policy.set', { server: 'odd', tool: 'hasOwnProperty', rule: 'allow' });
    const listed = (await api.call('tools.list', { server: 'odd' })).tools.map((tool) => tool.name).sort();
    expect(listed).toEqual(['constructor', 'hasOwnProperty', 'plain_tool', 'valueOf']);
    expect(textOf((await api.call('tools.call', { id: 'odd__constructor', arguments: {} })).result)).toBe('I am constructor');
    await expect(api.call('tools.call', { id: 'odd__toString', arguments: {} })).rejects.toThrow(/blocked/);
    expect((await api.call('tools.search', { query: 'constructor tool', limit: 3 })).results[0].id).toBe('odd__constructor');
    expect((await api.call('servers.list', {})).servers.map((s) => s.name).sort()).toEqual(['constructor', 'odd']);
    const second = await api.call('servers.review', { name: 'constructor' });
    await api.call('servers.approve', { name: 'constructor', reviewed: second.review.reviewed });
    expect(textOf((await api.call('tools.call', { id: 'constructor__hasOwnProperty', arguments: {} })).result)).toBe('I am hasOwnProperty');
    await core.close();
    opened.length = 0;

    // After a restart, from the saved records.
    ({ core, api } = await openCore(t.home));
    opened.push({ core, cleanup: t.cleanup });
    expect((await api.call('servers.list', {})).servers.map((s) => [s.name, s.trust]).sort()).toEqual([
      ['constructor', 'approved'],
      ['odd', 'approved'],
    ]);
    expect((await api.call('tools.list', { server: 'odd' })).tools.map((tool) => tool.name).sort()).toEqual(['constructor', 'hasOwnProperty', 'plain_tool', 'valueOf']);
    expect((await api.call('policy.get', {})).rules).toEqual([{ server: 'odd', tool: 'hasOwnProperty', rule: 'allow' }]);
    await api.call('servers.block', { name: 'odd' });
    expect((await api.call('servers.get', { name: 'odd' })).server.trust).toBe('blocked');

    // Removed, a server named like Object's members is gone from the running Gatehouse too.
    await api.call('servers.remove', { name: 'constructor' });
    expect((await api.call('servers.list', {})).servers.map((s) => s.name)).toEqual(['odd']);
    expect((await api.call('status.get', {})).servers.map((s) => s.name)).toEqual(['odd']);
  });

  it('handles resources whose URIs are __proto__ and constructor through review, holding back, letting through and a restart', async () => {
    const t = await tempHome({ mcpServers: { odd: servers.fixture('odd-names-server.mjs') } }, { quarantine: true });
    let { core, api } = await openCore(t.home, { env: { ...process.env, GATEHOUSE_TOKEN: 'odd-token' } });
    opened.push({ core, cleanup: () => undefined });
    const listed = async () => {
      const client = await connectClient((await core.listen(0)).url, 'odd-token');
      try {
        return (await client.listResources()).resources.map((r) => r.uri).sort();
      } finally {
        await client.close();
      }
    };
    const { review } = await api.call('servers.review', { name: 'odd' });
    expect(review.resources.map((r) => [r.name, r.trust])).toEqual([
      ['__proto__', 'pending'],
      ['constructor', 'pending'],
    ]);
    await api.call('servers.approve', { name: 'odd', ...allButFlagged(review), reviewed: review.reviewed });
    expect(await listed()).toEqual(['valueOf']);
    await api.call('servers.approve', { name: 'odd', resources: ['__proto__'], reviewed: (await api.call('servers.review', { name: 'odd' })).review.reviewed });
    await api.call('servers.block', { name: 'odd', resources: ['constructor'] });
    expect(await listed()).toEqual(['__proto__', 'valueOf']);
    await core.close();
    opened.length = 0;

    ({ core, api } = await openCore(t.home, { env: { ...process.env, GATEHOUSE_TOKEN: 'odd-token' } }));
    opened.push({ core, cleanup: t.cleanup });
    expect(await listed()).toEqual(['__proto__', 'valueOf']);
    expect((await api.call('servers.review', { name: 'odd' })).review.resources.map((r) => [r.name, r.trust])).toEqual([
      ['__proto__', 'approved'],
      ['constructor', 'blocked'],
    ]);
  });
});
