// How an AI client connects: the endpoint, the token (hidden until asked), and snippets ready to copy.
import { Alert, Button, Card, Code, CopyButton, Group, Stack, Tabs, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { errorText, useApiQuery } from '../../api/context.js';

function snippets(url: string, token: string, stdio: { command: string; args: string[] }): { id: string; client: string; where: string; text: string; usesToken: boolean }[] {
  const header = `Bearer ${token}`;
  const json = (key: string, entry: object) => JSON.stringify({ [key]: { gatehouse: entry } }, null, 2);
  return [
    { id: 'claude-code', client: 'Claude Code', where: 'Run in a terminal', text: `claude mcp add --transport http gatehouse ${url} --header "Authorization: ${header}"`, usesToken: true },
    { id: 'claude-desktop', client: 'Claude Desktop', where: 'claude_desktop_config.json (it speaks stdio only: this command relays it to this Gatehouse while Gatehouse runs)', text: json('mcpServers', stdio), usesToken: false },
    { id: 'cursor', client: 'Cursor', where: '~/.cursor/mcp.json', text: json('mcpServers', { url, headers: { Authorization: header } }), usesToken: true },
    { id: 'vscode', client: 'VS Code', where: '.vscode/mcp.json', text: json('servers', { type: 'http', url, headers: { Authorization: header } }), usesToken: true },
    { id: 'other', client: 'Other', where: 'Any client of Streamable HTTP', text: json('mcpServers', { type: 'http', url, headers: { Authorization: header } }), usesToken: true },
    {
      id: 'sse',
      client: 'Older clients (SSE)',
      where: 'A client of the older HTTP+SSE transport (2024-11-05): it opens a stream at this address',
      text: json('mcpServers', { type: 'sse', url: `${url}/sse`, headers: { Authorization: header } }),
      usesToken: true,
    },
  ];
}

export function ConnectPage() {
  const connection = useApiQuery('gateway.connection', {});
  const [shown, setShown] = useState(false);
  if (connection.error) return <Alert color="red">{errorText(connection.error)}</Alert>;
  const url = connection.data?.url ?? 'http://127.0.0.1:39917/mcp';
  const token = connection.data?.token ?? '';
  const masked = '•'.repeat(24);
  const stdio = connection.data?.stdio ?? { command: 'gatehouse', args: ['stdio'] };
  const list = snippets(url, shown ? token : '<token>', stdio);
  return (
    <Stack>
      <Title order={1}>Connect</Title>
      <Card withBorder>
        <Stack gap="xs">
          <Group>
            <Text fw={500} w={90}>
              Endpoint
            </Text>
            <Code>{url}</Code>
            <CopyButton value={url}>{({ copied, copy }) => <Button size="xs" variant="default" onClick={copy}>{copied ? 'Copied' : 'Copy'}</Button>}</CopyButton>
          </Group>
          <Group>
            <Text fw={500} w={90}>
              Token
            </Text>
            <Code data-testid="gateway-token">{shown ? token : masked}</Code>
            <Button size="xs" variant="default" onClick={() => setShown((s) => !s)}>
              {shown ? 'Hide' : 'Show'}
            </Button>
            <CopyButton value={token}>{({ copied, copy }) => <Button size="xs" variant="default" onClick={copy}>{copied ? 'Copied' : 'Copy token'}</Button>}</CopyButton>
          </Group>
          <Text size="xs" c="dimmed">
            Anyone with the token can call your approved tools. Rotate it on the Settings page if it leaks.
          </Text>
        </Stack>
      </Card>
      <Tabs defaultValue={list[0].id}>
        <Tabs.List>
          {list.map((s) => (
            <Tabs.Tab key={s.id} value={s.id}>
              {s.client}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {list.map((s) => (
          <Tabs.Panel key={s.id} value={s.id} pt="sm">
            <Text size="sm" c="dimmed" mb={4}>
              {s.where}
              {shown || !s.usesToken ? '' : ' — the token shows as <token> until you show it'}
            </Text>
            <Code block>{s.text}</Code>
            <CopyButton value={snippets(url, token, stdio).find((x) => x.id === s.id)!.text}>
              {({ copied, copy }) => (
                <Button size="xs" mt="xs" variant="default" onClick={copy}>
                  {copied ? 'Copied' : s.usesToken ? 'Copy with the token' : 'Copy'}
                </Button>
              )}
            </CopyButton>
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
