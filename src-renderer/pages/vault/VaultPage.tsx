// Remote vaults: this Gatehouse's key (what a vault authorizes), the vaults configured as servers with their
// fingerprints, and the routes each one reaches (asked through its own list_routes tool).
import { Alert, Badge, Button, Card, Code, Group, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { errorText, useApiAction, useApiQuery } from '../../api/context.js';
import { StateBadge, TrustBadge } from '../../components/badges.js';
import { TableHead } from '../../components/TableHead.js';

interface RouteSummary {
  name: string;
  description?: string;
  allowedEndpoints: string[];
  headers: string[];
}

function Routes({ vault }: { vault: string }) {
  const call = useApiAction('tools.call');
  const [routes, setRoutes] = useState<RouteSummary[]>();
  const [problem, setProblem] = useState<string>();
  const load = () =>
    call.mutate(
      { id: `${vault}__list_routes`, arguments: {} },
      {
        onSuccess: (o) => {
          const text = (o.result.content as { type: string; text?: string }[]).find((c) => c.type === 'text')?.text ?? '';
          if (o.result.isError) return setProblem(text);
          setProblem(undefined);
          setRoutes((JSON.parse(text) as { routes: RouteSummary[] }).routes);
        },
      },
    );
  return (
    <Stack gap="xs">
      <Group>
        <Button size="xs" variant="default" onClick={load} loading={call.isPending} aria-label={`Show the routes of ${vault}`}>
          Show routes
        </Button>
      </Group>
      {problem ? <Text size="sm" c="red.8">{problem}</Text> : null}
      {call.error ? <Text size="sm" c="red.8">{errorText(call.error)}</Text> : null}
      {routes
        ? routes.map((r) => (
            <Text size="sm" key={r.name}>
              <b>{r.name}</b>
              {r.description ? ` — ${r.description}` : ''}: <span className="gh-mono">{r.allowedEndpoints.join(', ')}</span>
              {r.headers.length ? ` (adds ${r.headers.join(', ')})` : ''}
            </Text>
          ))
        : null}
    </Stack>
  );
}

export function VaultPage() {
  const status = useApiQuery('vault.status', {});
  const keygen = useApiAction('vault.keygen', { success: () => 'Made a vault key for this Gatehouse' });
  const key = status.data?.key;
  return (
    <Stack>
      <Title order={1}>Vault</Title>
      <Text size="sm" c="dimmed">
        A vault on a machine you control keeps API keys there: it adds them to the requests this Gatehouse sends through it, over an end-to-end encrypted channel.
      </Text>
      {status.error ? <Alert color="red">{errorText(status.error)}</Alert> : null}
      <Card withBorder>
        <Title order={2} size="h4">
          This Gatehouse&apos;s key
        </Title>
        {key ? (
          <Stack gap={4} mt="xs">
            <Text size="sm">
              Fingerprint <span className="gh-mono">{key.fingerprint}</span>
            </Text>
            <Text size="sm">On the vault, let this Gatehouse in with:</Text>
            <Code block tabIndex={0} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{`gatehouse vault authorize <a name for this machine> -- ${key.sign} ${key.agree}`}</Code>
          </Stack>
        ) : (
          <Group mt="xs" justify="space-between">
            <Text size="sm">No key yet: a vault authorizes a Gatehouse by its key.</Text>
            <Button onClick={() => keygen.mutate({}, { onSuccess: () => void status.refetch() })} loading={keygen.isPending}>
              Make a key
            </Button>
          </Group>
        )}
      </Card>
      <Card withBorder p={0}>
        <Group p="md" pb={0}>
          <Title order={2} size="h4">
            Vaults
          </Title>
        </Group>
        {status.data && !status.data.vaults.length ? (
          <Text size="sm" p="md">
            No vault is configured. Add one as a server of type &quot;vault&quot; (Servers page, paste): <Code>{'{ "type": "vault", "url": "http://…:7443", "vault": { "sign": "…", "agree": "…" } }'}</Code>
          </Text>
        ) : null}
        {status.data?.vaults.length ? (
          <Table aria-label="Vaults" verticalSpacing="sm" mt="sm">
            <TableHead columns={['Vault', 'Fingerprint', 'State', 'Routes']} />
            <Table.Tbody>
              {status.data.vaults.map((v) => (
                <Table.Tr key={v.name} data-vault={v.name}>
                  <Table.Td>
                    <Text fw={500}>{v.name}</Text>
                    <Text size="xs" className="gh-mono">
                      {v.url}
                    </Text>
                  </Table.Td>
                  <Table.Td className="gh-mono">{v.fingerprint}</Table.Td>
                  <Table.Td>
                    <Group gap={4}>
                      <StateBadge state={v.state} />
                      <TrustBadge trust={v.trust} />
                    </Group>
                  </Table.Td>
                  <Table.Td>{v.trust === 'approved' ? <Routes vault={v.name} /> : <Badge variant="light" color="yellow">approve it first (Review)</Badge>}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
      </Card>
    </Stack>
  );
}
