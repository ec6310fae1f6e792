// Every server at a glance, live: state with its reason and the fix, transport, tools, trust, isolation.
import { TableHead } from '../../components/TableHead.js';
import { Alert, Anchor, Badge, Button, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { Link } from 'wouter';
import { errorText, useApiQuery } from '../../api/context.js';
import { fixFor, StateBadge, TrustBadge } from '../../components/badges.js';
import { AddServer } from './AddServer.js';
import { containerSettings } from '../../../src-shared/config/container.js';
import type { IsolationConfig, ServerConfig } from '../../../src-shared/config/schema.js';

export function ServersPage() {
  const servers = useApiQuery('servers.list', {});
  const config = useApiQuery('config.get', {});
  const signIns = useApiQuery('auth.status', {});
  const [adding, setAdding] = useState(false);
  const entries = (config.data?.config.mcpServers ?? {}) as Record<string, ServerConfig>;
  const isolated = (name: string) => !!containerSettings(Object.hasOwn(entries, name) ? entries[name]!.isolation : undefined, config.data?.config.isolation as IsolationConfig | undefined);
  const list = servers.data?.servers ?? [];

  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Servers</Title>
        <Button onClick={() => setAdding(true)}>Add servers</Button>
      </Group>
      {servers.error ? <Alert color="red">{errorText(servers.error)}</Alert> : null}
      {servers.data && !list.length ? (
        <Alert title="No servers yet">Add one with the button above, or paste your Claude Desktop or Cursor mcpServers block.</Alert>
      ) : null}
      {list.length ? (
        <Table striped highlightOnHover verticalSpacing="sm" aria-label="Servers">
          <TableHead columns={['Server', 'State', 'Transport', 'Tools', 'Trust']} />
          <Table.Tbody>
            {list.map((s) => {
              const wants = signIns.data?.signIns.find((i) => i.server === s.name)?.wants;
              const fix = fixFor(s, wants);
              return (
                <Table.Tr key={s.name} data-server={s.name}>
                  <Table.Td>
                    <Anchor component={Link} href={`/servers/${encodeURIComponent(s.name)}`} fw={600}>
                      {s.name}
                    </Anchor>
                    <Text size="xs" c="dimmed" truncate="end" maw={380} ff="monospace" title={s.target}>
                      {s.target}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    <StateBadge state={s.state} wants={wants} />
                    {s.reason ? (
                      <Text size="xs" maw={320}>
                        {s.reason}
                      </Text>
                    ) : null}
                    {fix && s.state !== 'ready' ? (
                      <Text size="xs" c="dimmed" maw={320}>
                        {fix}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <Badge variant="outline" color="gray">
                        {s.transport}
                      </Badge>
                      {isolated(s.name) ? (
                        <Badge variant="outline" color="cyan">
                          container
                        </Badge>
                      ) : null}
                    </Group>
                  </Table.Td>
                  <Table.Td>{s.toolCount}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <TrustBadge trust={s.trust} />
                      {s.attention > 0 ? (
                        <Anchor component={Link} href={`/review/${encodeURIComponent(s.name)}`} size="xs">
                          {s.attention} to review
                        </Anchor>
                      ) : s.trust === 'quarantined' ? (
                        <Anchor component={Link} href={`/review/${encodeURIComponent(s.name)}`} size="xs">
                          Review
                        </Anchor>
                      ) : null}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              );
            })}
          </Table.Tbody>
        </Table>
      ) : null}
      <AddServer opened={adding} onClose={() => setAdding(false)} />
    </Stack>
  );
}
