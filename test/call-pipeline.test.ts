// One call pipeline for both faces: an agent's call through the gateway and a person's through the admin
// API take the same path — lookup, availability, the per-call rule, the upstream call, result shaping —
// and each call is recorded once. Real servers from npm, a real SDK client on the HTTP endpoint.
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiClient } from '../src-shared/api/index.js';
import type { CallRecord, Gatehouse } from '../src-main/core/index.js';
import { connectClient, openCore, refusal, servers, tempHome, textOf, waitFor } from './helpers.js';

const TOKEN = 'pipeline-test-token';
let core: Gatehouse;
let api: ApiClient;
let client: Client;
let cleanup: () => void;
const records: CallRecord[] = [];

beforeAll(async () => {
  const t = await tempHome({ maxResultChars: 1000, mcpServers: { everything: servers.everything, memory: servers.memory, twin: servers.everything } });
  cleanup = t.cleanup;
  ({ core, api } = await openCore(t.home, { env: { ...process.env, GATEHOUSE_TOKEN: TOKEN } }));
  core.calls.onRecorded((r) => records.push(r));
  const { url } = await core.listen(0);
  await api.call('tools.list', {}); // lists every server once
  client = await connectClient(url, TOKEN);
});

afterAll(async () => {
  await client?.close();
  await core?.close();
  cleanup?.();
});

const agentCall = (args: Record<string, unknown>) => client.callTool({ name: 'call_tool', arguments: args });
const personCall = (id: string, args: Record<string, unknown> = {}) => api.call('tools.call', { id, arguments: args });


/** The records made while `run` ran (listeners hear of a call just after its answer is on its way). */
async function recorded(run: () => Promise<unknown>): Promise<CallRecord[]> {
  const from = records.length;
  await run();
  await new Promise((r) => setImmediate(r));
  return records.slice(from);
}

describe('the call pipeline, through both faces', () => {
  it('refuses a quarantined server\'s tool to an agent and to a person, and records each refusal once', async () => {
    await api.call('servers.add', { name: 'fresh', config: servers.memory });
    const agent = await recorded(async () => {
      const r = await agentCall({ id: 'fresh__read_graph', arguments: {} });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/quarantined, awaiting approval in Gatehouse/);
    });
    const person = await recorded(async () => {
      const err = await refusal(personCall('fresh__read_graph'));
      expect(err.code).toBe('invalid_input');
      expect(err.message).toMatch(/quarantined/);
    });
    expect(agent).toMatchObject([{ server: 'fresh', tool: 'read_graph', status: 'unavailable', by: { kind: 'agent', via: 'gateway' } }]);
    expect(person).toMatchObject([{ server: 'fresh', tool: 'read_graph', status: 'unavailable', by: { kind: 'person', via: 'admin' } }]);
    await api.call('servers.remove', { name: 'fresh' });
  });

  it('records every call once, with server, tool, status, duration and who called', async () => {
    const agent = await recorded(() => agentCall({ id: 'everything__echo', arguments: { message: 'one' } }));
    const person = await recorded(() => personCall('everything__echo', { message: 'two' }));
    const failed = await recorded(() => agentCall({ id: 'everything__echo', arguments: {} }));
    expect(agent).toHaveLength(1);
    expect(agent[0]).toMatchObject({ id: 'everything__echo', server: 'everything', tool: 'echo', status: 'ok', rule: 'allow', by: { kind: 'agent', via: 'gateway', client: 'gatehouse-test 1.0.0' } });
    expect(agent[0].durationMs).toBeGreaterThanOrEqual(0);
    expect(agent[0].arguments).toBe('{"message":"one"}');
    expect(person).toMatchObject([{ server: 'everything', tool: 'echo', status: 'ok', by: { kind: 'person', via: 'admin' } }]);
    expect(failed).toMatchObject([{ server: 'everything', tool: 'echo', status: 'error' }]);
  });

  it('"ask": an agent\'s call waits for the person\'s answer; a person\'s own call is not asked about', async () => {
    await api.call('policy.set', { server: 'memory', tool: 'read_graph', rule: 'ask' });
    try {
      const waiting = recorded(() => agentCall({ id: 'memory__read_graph', arguments: {} }));
      const [request] = await waitFor(async () => {
        const { requests } = await api.call('approvals.list', {});
        return requests.length ? requests : undefined;
      }, 'the call to wait for a person');
      expect(request).toMatchObject({ server: 'memory', tool: 'read_graph' });
      await api.call('approvals.answer', { id: request.id, allow: true });
      expect(await waiting).toMatchObject([{ status: 'ok', rule: 'ask', approval: { allowed: true, by: 'person' } }]);

      const person = await recorded(async () => {
        const { result } = await personCall('memory__read_graph');
        expect(result.isError).toBeFalsy();
      });
      expect(person).toMatchObject([{ status: 'ok', rule: 'ask', approval: { allowed: true, by: 'caller' } }]);
      expect((await api.call('approvals.list', {})).requests).toEqual([]);
    } finally {
      await api.call('policy.set', { server: 'memory', tool: 'read_graph', rule: 'default' });
    }
  });

  it('"ask": the person sees the whole of long arguments, not the first part of them', async () => {
    await api.call('policy.set', { server: 'everything', tool: 'echo', rule: 'ask' });
    try {
      const message = `${'an ordinary looking start '.repeat(200)}and at the end: send it all to attacker@example.net`;
      const waiting = agentCall({ id: 'everything__echo', arguments: { message } });
      const [request] = await waitFor(async () => {
        const { requests } = await api.call('approvals.list', {});
        return requests.length ? requests : undefined;
      }, 'the call to wait for a person');
      expect(JSON.parse(request.arguments)).toEqual({ message });
      await api.call('approvals.answer', { id: request.id, allow: false });
      await waiting;
    } finally {
      await api.call('policy.set', { server: 'everything', tool: 'echo', rule: 'default' });
    }
  });

  it('"deny" refuses everyone, and tells a person how to change it', async () => {
    await api.call('policy.set', { server: 'memory', tool: 'read_graph', rule: 'deny' });
    try {
      const r = await agentCall({ id: 'memory__read_graph' });
      expect(r.isError).toBe(true);
      expect(textOf(r)).toMatch(/your policy in Gatehouse denies it/);
      const err = await refusal(personCall('memory__read_graph'));
      expect(err.code).toBe('forbidden');
      expect(err.message).toMatch(/gatehouse policy set memory__read_graph allow/);
    } finally {
      await api.call('policy.set', { server: 'memory', tool: 'read_graph', rule: 'default' });
    }
  });

  it('pages a long result for an agent (read_result) as for a person (tools.readResult)', async () => {
    const message = Array.from({ length: 600 }, (_, i) => `w${i}`).join(' ');
    const full = `Echo: ${message}`;
    const cut = await agentCall({ id: 'everything__echo', arguments: { message } });
    const [head, footer] = cut.content as { text: string }[];
    expect(head.text).toHaveLength(1000);
    const handle = /"handle":"([^"]+)"/.exec(footer.text)![1];
    let text = head.text;
    while (text.length < full.length) {
      const next = await client.callTool({ name: 'read_result', arguments: { handle, offset: text.length } });
      text += (next.content as { text: string }[])[0].text;
    }
    expect(text).toBe(full);

    const person = await personCall('everything__echo', { message });
    expect(textOf(person.result)).toBe(full); // a person's call is whole unless they ask for pages
  });
});

describe('forgiving call_tool', () => {
  it('takes the id as name, tool, tool_name or tool_id, and the arguments as args, input, params or a JSON string', async () => {
    const shapes = [
      { name: 'everything__echo', args: { message: 'a' } },
      { tool: 'everything__echo', input: { message: 'a' } },
      { tool_name: 'everything__echo', params: { message: 'a' } },
      { tool_id: 'everything__echo', arguments: '{"message":"a"}' },
      { id: 'everything__echo', args: '{"message":"a"}' },
      { id: 'everything__echo', message: 'a' },
    ];
    for (const shape of shapes) expect(textOf(await agentCall(shape)), JSON.stringify(shape)).toBe('Echo: a');
  });

  it('takes a bare tool name when one server has it, and answers an ambiguous one with the candidates', async () => {
    expect(textOf(await agentCall({ id: 'read_graph', arguments: {} }))).toMatch(/entities/);
    const ambiguous = await agentCall({ id: 'echo', arguments: { message: 'x' } });
    expect(ambiguous.isError).toBe(true);
    expect(textOf(ambiguous)).toMatch(/"echo" is a tool of several servers: "everything__echo", "twin__echo"/);
  });

  it('says what is missing when there is no id, or the arguments are not an object', async () => {
    const noId = await agentCall({ arguments: { message: 'x' } });
    expect(textOf(noId)).toMatch(/"id" is required/);
    const notObject = await agentCall({ id: 'everything__echo', args: [1, 2] });
    expect(textOf(notObject)).toMatch(/"args" must be an object/);
    const notJson = await agentCall({ id: 'everything__echo', input: '{message' });
    expect(textOf(notJson)).toMatch(/"input" is a string that is not JSON/);
  });
});
