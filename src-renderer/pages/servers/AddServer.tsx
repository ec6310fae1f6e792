// Adding servers: a form for one, or a pasted `mcpServers` block for many. Each lands quarantined.
import { Alert, Button, Checkbox, Group, List, Modal, SegmentedControl, Stack, Tabs, Text, Textarea, TextInput } from '@mantine/core';
import { useState } from 'react';
import { notifications } from '@mantine/notifications';
import { secretPlaceholder } from '../../../src-shared/config/placeholders.js';
import type { ServerConfig } from '../../../src-shared/config/schema.js';
import { errorText, useApi } from '../../api/context.js';
import { readPasted, readPairs } from './paste.js';

const PASTE_EXAMPLE = `{
  "mcpServers": {
    "everything": { "command": "npx", "args": ["-y", "@modelcontextprotocol/server-everything"] }
  }
}`;

export function AddServer({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const api = useApi();
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<string[]>([]);
  const [added, setAdded] = useState<string[]>([]);
  const [paste, setPaste] = useState('');
  const [form, setForm] = useState({ name: '', type: 'stdio', command: '', args: '', env: '', cwd: '', url: '', headers: '', isolation: false });
  const set = (key: keyof typeof form) => (value: string | boolean) => setForm((f) => ({ ...f, [key]: value }));

  const close = () => {
    setProblems([]);
    setAdded([]);
    onClose();
  };

  const addAll = async (servers: { name: string; config: ServerConfig }[]) => {
    setBusy(true);
    const failed: string[] = [];
    const done: string[] = [];
    for (const { name, config } of servers) {
      try {
        const { secrets } = await api.call('servers.add', { name, config });
        done.push(name);
        if (secrets.length) notifications.show({ color: 'blue', title: `${name}: secrets kept out of config.json`, message: `In the secret store as ${secrets.join(', ')}.`, autoClose: 10_000 });
      } catch (err) {
        failed.push(`${name}: ${errorText(err)}`);
      }
    }
    setBusy(false);
    setAdded(done);
    setProblems(failed);
    if (!failed.length) close();
  };

  const fromForm = (): { name: string; config: ServerConfig } => {
    const config: ServerConfig =
      form.type === 'stdio'
        ? {
            command: form.command.trim(),
            ...(form.args.trim() ? { args: form.args.split('\n').map((a) => a.trim()).filter(Boolean) } : {}),
            ...(form.env.trim() ? { env: readPairs(form.env, '=') } : {}),
            ...(form.cwd.trim() ? { cwd: form.cwd.trim() } : {}),
            ...(form.isolation ? { isolation: true } : {}),
          }
        : { type: form.type as 'http' | 'sse', url: form.url.trim(), ...(form.headers.trim() ? { headers: readPairs(form.headers, ':') } : {}) };
    return { name: form.name.trim(), config };
  };

  return (
    <Modal opened={opened} onClose={close} title="Add servers" size="lg">
      <Text size="sm" c="dimmed" mb="sm">
        A new server is quarantined: nothing of it reaches an agent until you review and approve it. Secrets typed in (headers,
        variables named for a secret) go into the secret store, not config.json; a stored one is written{' '}
        <code data-testid="secret-placeholder">{secretPlaceholder('NAME')}</code>.
      </Text>
      <Tabs defaultValue="paste">
        <Tabs.List>
          <Tabs.Tab value="paste">Paste JSON</Tabs.Tab>
          <Tabs.Tab value="form">Form</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="paste" pt="sm">
          <Stack>
            <Textarea
              label="An mcpServers block from Claude Desktop, Cursor or VS Code"
              placeholder={PASTE_EXAMPLE}
              autosize
              minRows={8}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              value={paste}
              onChange={(e) => setPaste(e.currentTarget.value)}
            />
            <Group justify="flex-end">
              <Button
                loading={busy}
                onClick={() => {
                  const read = readPasted(paste);
                  if (read.problems.length && !read.servers.length) return setProblems(read.problems);
                  void addAll(read.servers).then(() => setProblems((p) => [...read.problems, ...p]));
                }}
              >
                Add pasted servers
              </Button>
            </Group>
          </Stack>
        </Tabs.Panel>
        <Tabs.Panel value="form" pt="sm">
          <form
            onSubmit={(e) => {
              e.preventDefault();
              void addAll([fromForm()]);
            }}
          >
            <Stack>
              <TextInput label="Name" description="Letters, digits, - and _" required value={form.name} onChange={(e) => set('name')(e.currentTarget.value)} />
              <div>
                <Text size="sm" fw={500} id="add-transport">
                  Transport
                </Text>
                <SegmentedControl
                  aria-labelledby="add-transport"
                  value={form.type}
                  onChange={set('type')}
                  data={[
                    { value: 'stdio', label: 'Command (stdio)' },
                    { value: 'http', label: 'Streamable HTTP' },
                    { value: 'sse', label: 'SSE (legacy)' },
                  ]}
                />
              </div>
              {form.type === 'stdio' ? (
                <>
                  <TextInput label="Command" required value={form.command} onChange={(e) => set('command')(e.currentTarget.value)} placeholder="npx" />
                  <Textarea label="Arguments" description="One per line" autosize minRows={2} value={form.args} onChange={(e) => set('args')(e.currentTarget.value)} />
                  <Textarea label="Environment" description="KEY=value, one per line" autosize minRows={2} value={form.env} onChange={(e) => set('env')(e.currentTarget.value)} />
                  <TextInput
                    label="Folder"
                    description="Where the command runs, as a full path (~ is your home folder)"
                    value={form.cwd}
                    onChange={(e) => set('cwd')(e.currentTarget.value)}
                    placeholder="~/projects/my-server"
                  />
                  <Checkbox label="Run it in a Docker container" checked={form.isolation} onChange={(e) => set('isolation')(e.currentTarget.checked)} />
                </>
              ) : (
                <>
                  <TextInput label="URL" required value={form.url} onChange={(e) => set('url')(e.currentTarget.value)} placeholder="https://example.com/mcp" />
                  <Textarea label="Headers" description="Name: value, one per line" autosize minRows={2} value={form.headers} onChange={(e) => set('headers')(e.currentTarget.value)} />
                </>
              )}
              <Group justify="flex-end">
                <Button type="submit" loading={busy}>
                  Add server
                </Button>
              </Group>
            </Stack>
          </form>
        </Tabs.Panel>
      </Tabs>
      {added.length ? (
        <Alert color="green" mt="md" title="Added (quarantined until you approve)">
          {added.join(', ')}
        </Alert>
      ) : null}
      {problems.length ? (
        <Alert color="red" mt="md" title="Not added" role="alert">
          <List size="sm">
            {problems.map((p) => (
              <List.Item key={p}>{p}</List.Item>
            ))}
          </List>
        </Alert>
      ) : null}
    </Modal>
  );
}
