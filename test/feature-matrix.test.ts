// Everything MCP carries, end to end through the gateway with the SDK's Client, for clients of both
// protocol eras: server-everything behind `gatehouse serve` in direct mode, and the same calls through a
// server's own endpoint. (Sampling, elicitation, roots, progress and cancellation: passthrough.test.ts;
// log messages and notification routing: notifications.test.ts; the conformance suite: conformance.test.ts.)
import type { Client } from '@modelcontextprotocol/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectClient, ERAS, rawMcpSession, servers, startServe, tempHome, waitFor, type RunningGatehouse } from './helpers.js';

let gh: RunningGatehouse;
let cleanup: () => void;
beforeAll(async () => {
  const t = await tempHome({ mode: 'direct', mcpServers: { everything: servers.everything } });
  cleanup = t.cleanup;
  gh = await startServe(t.home);
});
afterAll(async () => {
  await gh?.stop();
  cleanup?.();
});

type Content = { type: string; uri?: string; mimeType?: string; data?: string; annotations?: Record<string, unknown> };

describe.each(ERAS)('everything passes through, for a %s client', (era) => {
  for (const endpoint of ['all servers', "the server's own endpoint"] as const) {
    describe(`on ${endpoint}`, () => {
      let client: Client;
      const own = endpoint !== 'all servers';
      const name = (tool: string) => (own ? tool : `everything__${tool}`);

      beforeAll(async () => {
        client = await connectClient(own ? `${gh.url}/servers/everything` : gh.url, gh.token, {}, undefined, era);
      });
      afterAll(async () => {
        await client?.close();
      });

      it('tools: output schemas and structured content, images, annotations, resource links', async () => {
        const { tools } = await client.listTools();
        const structured = tools.find((t) => t.name === name('get-structured-content'));
        expect(structured?.outputSchema).toMatchObject({ type: 'object' });
        expect(structured?.annotations ?? {}).toBeTypeOf('object');

        const weather = await client.callTool({ name: name('get-structured-content'), arguments: { location: 'New York' } });
        expect(weather.structuredContent).toMatchObject({ temperature: expect.any(Number) });

        const image = (await client.callTool({ name: name('get-tiny-image'), arguments: {} })).content as Content[];
        expect(image.find((c) => c.type === 'image')).toMatchObject({ mimeType: 'image/png', data: expect.any(String) });

        const annotated = (await client.callTool({ name: name('get-annotated-message'), arguments: { messageType: 'error', includeImage: false } })).content as Content[];
        expect(annotated[0].annotations).toMatchObject({ priority: expect.any(Number) });

        const links = (await client.callTool({ name: name('get-resource-links'), arguments: { count: 2 } })).content as Content[];
        const link = links.find((c) => c.type === 'resource_link');
        expect(link?.uri).toMatch(/^demo:\/\//);
        // The link stays valid through Gatehouse: reading it answers.
        const read = await client.readResource({ uri: link!.uri! });
        expect(read.contents[0].uri).toBe(link!.uri);
      });

      it('resources: list, templates and reads, text and binary', async () => {
        const { resources } = await client.listResources();
        expect(resources.length).toBeGreaterThan(0);
        const { resourceTemplates } = await client.listResourceTemplates();
        expect(resourceTemplates.map((t) => t.uriTemplate)).toEqual(expect.arrayContaining([expect.stringMatching(/\{resourceId\}$/)]));
        const text = resourceTemplates.find((t) => /text/i.test(t.uriTemplate))!;
        const uri = text.uriTemplate.replace('{resourceId}', '3');
        const { contents } = await client.readResource({ uri });
        expect(contents[0]).toMatchObject({ uri, text: expect.any(String) });
        const blob = resourceTemplates.find((t) => /blob/i.test(t.uriTemplate))!;
        const blobUri = blob.uriTemplate.replace('{resourceId}', '4');
        expect((await client.readResource({ uri: blobUri })).contents[0]).toMatchObject({ uri: blobUri, blob: expect.any(String) });
      });

      it('prompts: list, get with arguments, embedded resources; completions', async () => {
        const { prompts } = await client.listPrompts();
        expect(prompts.map((p) => p.name)).toEqual(expect.arrayContaining([name('simple-prompt'), name('args-prompt'), name('completable-prompt')]));
        const got = await client.getPrompt({ name: name('args-prompt'), arguments: { city: 'Oslo', state: 'Viken' } });
        expect(JSON.stringify(got.messages)).toContain('Oslo');
        const completed = await client.complete({
          ref: { type: 'ref/prompt', name: name('completable-prompt') },
          argument: { name: 'department', value: 'Eng' },
        });
        expect(completed.completion.values).toEqual(['Engineering']);
        const withContext = await client.complete({
          ref: { type: 'ref/prompt', name: name('completable-prompt') },
          argument: { name: 'name', value: '' },
          context: { arguments: { department: 'Sales' } },
        });
        expect(withContext.completion.values).toEqual(['David', 'Eve', 'Frank']);
      });

      // The 2026-07-28 revision dropped ping and logging/setLevel for server/discover.
      it.runIf(era === '2025-11-25')('ping and logging levels', async () => {
        await expect(client.ping()).resolves.toBeDefined();
        await expect(client.setLoggingLevel('warning')).resolves.toBeDefined();
      });
      it.runIf(era === '2026-07-28')('server discovery: who answers and what it offers', async () => {
        expect(client.getServerVersion()?.name).toBe('gatehouse');
        expect(client.getServerCapabilities()).toMatchObject({ tools: expect.any(Object), resources: expect.any(Object), prompts: expect.any(Object), completions: expect.any(Object) });
      });
    });
  }
});

describe.each(ERAS)('an MCP App and resource updates, for a %s client', (era) => {
  let app: RunningGatehouse;
  let done: () => void;
  let client: Client;
  beforeAll(async () => {
    const t = await tempHome({ mode: 'direct', mcpServers: { fixture: servers.fixture('conformance-server.mjs') } });
    done = t.cleanup;
    app = await startServe(t.home);
    client = await connectClient(app.url, app.token, {}, undefined, era);
  });
  afterAll(async () => {
    await client?.close();
    await app?.stop();
    done?.();
  });

  it("keeps a tool's ui:// resource valid under its namespaced name", async () => {
    const tool = (await client.listTools()).tools.find((t) => t.name === 'fixture__show_dashboard');
    const uri = (tool?._meta as { ui?: { resourceUri?: string } } | undefined)?.ui?.resourceUri;
    expect(uri).toBe('ui://conformance/dashboard.html');
    const { contents } = await client.readResource({ uri: uri! });
    expect(contents[0]).toMatchObject({ uri, mimeType: 'text/html;profile=mcp-app', text: expect.stringContaining('Dashboard') });
  });

  it('tells the client of an update to a resource it subscribed to', async () => {
    const updated: string[] = [];
    client.setNotificationHandler('notifications/resources/updated', (n) => void updated.push(n.params.uri));
    const uri = 'test://watched-resource';
    // A session-based client subscribes; a 2026-07-28 client names the resource on its listen stream.
    const listening = era === '2026-07-28' ? await client.listen({ resourceSubscriptions: [uri] }) : undefined;
    if (!listening) await client.subscribeResource({ uri });
    try {
      await client.callTool({ name: 'fixture__update_subscribed_resources', arguments: {} });
      await waitFor(() => updated.includes(uri), 'the resource update');
    } finally {
      await listening?.close();
    }
  });
});

describe('tasks (the 2025-11-25 extension) pass through', () => {
  const rawSession = () => rawMcpSession(gh.url, gh.token);

  it('starts a task on the server that offers it, and gets its status, result and list through Gatehouse', async () => {
    const { init, call } = await rawSession();
    expect(init.capabilities).toMatchObject({ tasks: { requests: { tools: { call: {} } } } });
    const created = await call('tools/call', { name: 'everything__simulate-research-query', arguments: { topic: 'tide pools' }, task: { ttl: 60_000 } });
    const taskId = (created.result?.task as { taskId?: string } | undefined)?.taskId;
    expect(taskId, JSON.stringify(created)).toEqual(expect.any(String));
    await waitFor(async () => (await call('tasks/get', { taskId })).result?.status === 'completed', 'the task to complete', 30_000);
    const result = await call('tasks/result', { taskId });
    expect(JSON.stringify(result.result?.content)).toContain('tide pools');
    const listed = await call('tasks/list', {});
    expect((listed.result?.tasks as { taskId: string }[]).map((t) => t.taskId)).toContain(taskId);
    expect((await call('tasks/get', { taskId: 'not-a-task' })).error?.message).toMatch(/No task "not-a-task"/);
  });
});
