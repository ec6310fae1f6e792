// AI clients: which are here, connecting each to Gatehouse after seeing the change to its config file,
// disconnecting, undoing, and bringing their servers into Gatehouse.
import { Alert, Badge, Button, Card, Checkbox, Group, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useState } from 'react';
import type { MethodOutput } from '../../../src-shared/api/index.js';
import { errorText, useApiAction, useApiQuery } from '../../api/context.js';
import { DiffView } from '../../components/DefinitionView.js';
import { TableHead } from '../../components/TableHead.js';
import { DialogActions } from '../../components/DialogActions.js';

type Client = MethodOutput<'clients.list'>['clients'][number];

/** A unified diff as the lines DiffView shows (headers and hunk markers left out). */
function diffLines(diff: string): { op: ' ' | '-' | '+'; text: string }[] {
  return diff
    .split('\n')
    .filter((l) => !/^(Index:|={3,}|-{3} |\+{3} |@@|\\ No newline)/.test(l) && l !== '')
    .map((l) => ({ op: (l[0] === '+' || l[0] === '-' ? l[0] : ' ') as ' ' | '-' | '+', text: l.slice(1) }));
}

function ChangeClient({ client, action, onClose }: { client: Client; action: 'connect' | 'disconnect'; onClose: () => void }) {
  const preview = useApiQuery('clients.preview', { id: client.id, action });
  const apply = useApiAction(action === 'connect' ? 'clients.connect' : 'clients.disconnect', {
    success: () => (action === 'connect' ? `${client.name} connected: restart it to pick this up` : `${client.name} disconnected`),
  });
  const changed = preview.data?.preview.diff.includes('@@');
  return (
    <Modal opened onClose={onClose} size="xl" title={`${action === 'connect' ? 'Connect' : 'Disconnect'} ${client.name}`}>
      <Stack>
        {preview.error ? <Alert color="red">{errorText(preview.error)}</Alert> : null}
        {preview.data ? (
          <>
            <Text size="sm">
              {changed ? 'This change will be written to ' : 'Nothing to change in '}
              <span className="gh-mono">{preview.data.preview.file}</span>
              {changed ? '. The file as it is now is kept, so Undo puts it back exactly.' : '.'}
            </Text>
            {changed ? <DiffView lines={diffLines(preview.data.preview.diff)} label={`Change to ${client.name}'s config`} /> : null}
            {action === 'connect' && client.transport === 'http' ? <Text size="sm">{client.name} gets a token of its own: the Activity page names it, and disconnecting revokes it.</Text> : null}
          </>
        ) : null}
        {apply.error ? <Alert color="red">{errorText(apply.error)}</Alert> : null}
        <DialogActions onCancel={onClose}>
          <Button
            disabled={!changed}
            loading={apply.isPending}
            onClick={() => apply.mutate({ id: client.id, expected: preview.data!.preview.hash }, { onSuccess: onClose, onError: () => void preview.refetch() })}
          >
            {action === 'connect' ? 'Write it' : 'Remove it'}
          </Button>
        </DialogActions>
      </Stack>
    </Modal>
  );
}

function ImportServers({ client, onClose }: { client: Client; onClose: () => void }) {
  const [chosen, setChosen] = useState<string[]>(client.servers);
  const [remove, setRemove] = useState(false);
  const run = useApiAction('clients.import');
  const result = run.data;
  return (
    <Modal opened onClose={onClose} size="lg" title={`Import ${client.name}'s servers`}>
      <Stack>
        <Text size="sm">They arrive quarantined: review and approve them on the Review page. Secrets in their environment move into the secret store.</Text>
        <Checkbox.Group label="Servers" value={chosen} onChange={setChosen}>
          <Stack gap={4} mt="xs">
            {client.servers.map((s) => (
              <Checkbox key={s} value={s} label={s} />
            ))}
          </Stack>
        </Checkbox.Group>
        <Checkbox
          checked={remove}
          onChange={(e) => setRemove(e.currentTarget.checked)}
          label={`Take them out of ${client.name} once they work through Gatehouse (approved and listed)`}
        />
        {run.error ? <Alert color="red">{errorText(run.error)}</Alert> : null}
        {result ? (
          <Alert color="blue" title="Done">
            {result.imported.map((i) => (
              <Text size="sm" key={i.name}>
                Imported {i.name}
                {i.as !== i.name ? ` as ${i.as}` : ''}: waiting for your review
              </Text>
            ))}
            {result.secrets.map((s) => (
              <Text size="sm" key={s}>
                Secret moved into the secret store: {s}
              </Text>
            ))}
            {result.removedFromClient.map((r) => (
              <Text size="sm" key={r}>
                Removed {r} from {client.name}
              </Text>
            ))}
            {result.skipped.map((s) => (
              <Text size="sm" key={s.name}>
                Skipped {s.name}: {s.reason}
              </Text>
            ))}
          </Alert>
        ) : null}
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Close
          </Button>
          <Button disabled={!chosen.length} loading={run.isPending} onClick={() => run.mutate({ id: client.id, names: chosen, removeFromClient: remove })}>
            Import
          </Button>
        </Group>
      </Stack>
    </Modal>
  );
}

/** Which of Gatehouse's servers a connected client may use. */
function Profile({ client, onClose }: { client: Client; onClose: () => void }) {
  const servers = useApiQuery('servers.list', {});
  const [all, setAll] = useState(!client.profile);
  const [chosen, setChosen] = useState<string[]>(client.profile ?? []);
  const save = useApiAction('clients.profile', { success: (o) => (o.client.profile ? `${o.client.name} may use ${o.client.profile.length} servers` : `${o.client.name} may use every server`) });
  return (
    <Modal opened onClose={onClose} title={`Servers ${client.name} may use`}>
      <Stack>
        <Text size="sm">A limited client sees, searches and calls only these servers, and hears of no others. It applies at once, also to sessions already open.</Text>
        <Checkbox checked={all} onChange={(e) => setAll(e.currentTarget.checked)} label="Every server (no limit)" />
        {!all ? (
          <Checkbox.Group label="Only these" value={chosen} onChange={setChosen}>
            <Stack gap={4} mt="xs">
              {(servers.data?.servers ?? []).map((s) => (
                <Checkbox key={s.name} value={s.name} label={s.name} />
              ))}
            </Stack>
          </Checkbox.Group>
        ) : null}
        {save.error ? <Alert color="red">{errorText(save.error)}</Alert> : null}
        <DialogActions onCancel={onClose}>
          <Button loading={save.isPending} onClick={() => save.mutate({ id: client.id, servers: all ? null : chosen }, { onSuccess: onClose })}>
            Save
          </Button>
        </DialogActions>
      </Stack>
    </Modal>
  );
}

export function ClientsPage() {
  const clients = useApiQuery('clients.list', {});
  const undo = useApiAction('clients.undo', { success: (o) => `${o.client.name}'s config is back as it was` });
  const [changing, setChanging] = useState<{ client: Client; action: 'connect' | 'disconnect' }>();
  const [importing, setImporting] = useState<Client>();
  const [limiting, setLimiting] = useState<Client>();
  const list = clients.data?.clients ?? [];
  const here = list.filter((c) => c.found);
  return (
    <Stack>
      <Title order={1}>Clients</Title>
      <Text size="sm" c="dimmed">
        AI clients on this machine, by their config files. Connecting one points it at Gatehouse; importing brings its servers here.
      </Text>
      {clients.error ? <Alert color="red">{errorText(clients.error)}</Alert> : null}
      {clients.data && !here.length ? <Alert color="gray">No AI client was found in its usual place.</Alert> : null}
      {here.length ? (
        <Card withBorder p={0}>
          <Table aria-label="AI clients" verticalSpacing="sm">
            <TableHead columns={['Client', 'State', 'Its servers', '']} />
            <Table.Tbody>
              {here.map((c) => (
                <Table.Tr key={c.id} data-client={c.id}>
                  <Table.Td>
                    <Text fw={500}>{c.name}</Text>
                    <Text size="xs" c="dimmed" className="gh-mono">
                      {c.file}
                    </Text>
                  </Table.Td>
                  <Table.Td miw={170}>
                    {c.problem ? (
                      <Badge color="red" variant="light">
                        unreadable
                      </Badge>
                    ) : (
                      <Badge color={c.connected ? 'teal' : 'gray'} variant="light" tt="none" style={{ maxWidth: 'none' }}>
                        {c.connected ? 'connected' : 'not connected'}
                      </Badge>
                    )}
                    {c.problem ? (
                      <Text size="xs" mt={4}>
                        {c.problem}
                      </Text>
                    ) : null}
                    {c.connected && c.transport === 'http' ? (
                      <Text size="xs" mt={4}>
                        Uses {c.profile ? (c.profile.length ? c.profile.join(', ') : 'no server') : 'every server'}
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>{c.servers.length ? c.servers.join(', ') : <Text c="dimmed">none</Text>}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" justify="flex-end" wrap="nowrap">
                      {c.connected ? (
                        <Button size="xs" variant="default" onClick={() => setChanging({ client: c, action: 'disconnect' })} aria-label={`Disconnect ${c.name}`}>
                          Disconnect
                        </Button>
                      ) : (
                        <Button size="xs" onClick={() => setChanging({ client: c, action: 'connect' })} disabled={!!c.problem} aria-label={`Connect ${c.name}`}>
                          Connect
                        </Button>
                      )}
                      <Button size="xs" variant="default" onClick={() => setImporting(c)} disabled={!c.servers.length || !!c.problem} aria-label={`Import servers from ${c.name}`}>
                        Import servers
                      </Button>
                      {c.connected && c.transport === 'http' ? (
                        <Button size="xs" variant="default" onClick={() => setLimiting(c)} aria-label={`Servers ${c.name} may use`}>
                          Servers
                        </Button>
                      ) : null}
                      {c.canUndo ? (
                        <Button size="xs" variant="subtle" onClick={() => undo.mutate({ id: c.id })} aria-label={`Undo Gatehouse's change to ${c.name}`}>
                          Undo
                        </Button>
                      ) : null}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      ) : null}
      {changing ? <ChangeClient client={changing.client} action={changing.action} onClose={() => setChanging(undefined)} /> : null}
      {importing ? <ImportServers client={importing} onClose={() => setImporting(undefined)} /> : null}
      {limiting ? <Profile client={limiting} onClose={() => setLimiting(undefined)} /> : null}
    </Stack>
  );
}
