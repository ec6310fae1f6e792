// What agents and people did: the activity log, newest first, filtered and searched, with new records
// arriving live; a record opens to its arguments and result. Below, per-tool statistics, and whether the
// log's hash chain is intact.
import { Alert, Badge, Button, Card, Code, Drawer, Group, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useState } from 'react';
import type { EventPayload, MethodInput } from '../../../src-shared/api/index.js';
import { errorText, showError, useApi, useApiAction, useApiQuery } from '../../api/context.js';
import { TableHead } from '../../components/TableHead.js';
import { VisibleText } from '../../components/VisibleText.js';
import { useLive } from '../../api/live.js';
import { counted } from '../../../src-shared/counted.js';

type ActivityRecord = EventPayload<'activity.recorded'>;
type Filter = MethodInput<'activity.query'>;

const STATUS_COLOR: Record<string, string> = { ok: 'teal', error: 'red', denied: 'red', declined: 'orange', cancelled: 'gray', unavailable: 'orange', weakened: 'orange', 'egress-refused': 'red', unknown: 'gray' };

const ACTOR: Record<ActivityRecord['actor'], string> = { agent: 'an agent', 'person:ui': 'you, in the window', 'person:cli': 'you, on the command line', gatehouse: 'Gatehouse' };

/** Who did it, in words: the person's own calls name no client (it is this window or the CLI). */
function who(r: ActivityRecord): string {
  return r.actor === 'agent' && r.client ? `${ACTOR.agent} (${r.client})` : ACTOR[r.actor];
}

function what(r: ActivityRecord): string {
  if (r.kind === 'call') return `${r.server ?? '?'}__${r.tool ?? '?'}`;
  if (r.kind === 'read') return `read ${r.tool ?? '?'} · ${r.server ?? '?'}`;
  if (r.kind === 'admin') return `${r.tool}${r.server ? ` · ${r.server}` : ''}`;
  return `${r.kind}${r.server ? ` · ${r.server}` : ''}`;
}

function RecordDetail({ record, onClose }: { record?: ActivityRecord; onClose: () => void }) {
  return (
    <Drawer opened={!!record} onClose={onClose} position="right" size="lg" title={record ? `#${record.seq} ${what(record)}` : ''}>
      {record ? (
        <Stack gap="xs">
          <Text size="sm">
            {new Date(record.at).toLocaleString()} · {who(record)}
            {record.session ? ` · session ${record.session}` : ''}
          </Text>
          {record.status ? <Text size="sm">Status: {record.status}</Text> : null}
          {record.durationMs !== undefined ? <Text size="sm">Took {Math.round(record.durationMs)} ms</Text> : null}
          {record.rule ? <Text size="sm">Rule: {record.rule}</Text> : null}
          {record.approval ? <Text size="sm">Approval: {record.approval}</Text> : null}
          {(['arguments', 'result', 'error', 'detail'] as const).map((k) =>
            record[k] ? (
              <div key={k}>
                <Text size="sm" fw={600}>
                  {k[0].toUpperCase() + k.slice(1)}
                </Text>
                <Code block>
                  <VisibleText text={record[k]} />
                </Code>
              </div>
            ) : null,
          )}
          <Text size="xs" c="dimmed" className="gh-mono">
            hash {record.hash.slice(0, 16)}… follows {record.prevHash.slice(0, 16)}…
          </Text>
        </Stack>
      ) : null}
    </Drawer>
  );
}

function Stats() {
  const stats = useApiQuery('activity.stats', {});
  const tools = stats.data?.tools ?? [];
  if (!tools.length) return null;
  return (
    <Card withBorder p={0}>
      <Title order={2} size="h4" p="sm">
        Per tool
      </Title>
      <Table aria-label="Calls per tool">
        <TableHead columns={['Tool', 'Calls', 'Errors', 'p50', 'p99']} />
        <Table.Tbody>
          {tools.slice(0, 20).map((t) => (
            <Table.Tr key={`${t.server}__${t.tool}`}>
              <Table.Td className="gh-mono">
                {t.server}__{t.tool}
              </Table.Td>
              <Table.Td>{t.calls}</Table.Td>
              <Table.Td>{t.errors}</Table.Td>
              <Table.Td>{Math.round(t.p50Ms)} ms</Table.Td>
              <Table.Td>{Math.round(t.p99Ms)} ms</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Card>
  );
}

export function ActivityPage() {
  const live = useLive();
  const queries = useQueryClient();
  const [text, setText] = useState('');
  const [kind, setKind] = useState<string | null>(null);
  const [server, setServer] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [debounced] = useDebouncedValue(text.trim(), 250);
  const [older, setOlder] = useState<{ records: ActivityRecord[]; next?: number }>();
  const [open, setOpen] = useState<ActivityRecord>();
  const servers = useApiQuery('servers.list', {});
  const filter: Filter = { kind: (kind ?? undefined) as Filter['kind'], server: server ?? undefined, status: status ?? undefined, text: debounced || undefined, limit: 50 };
  const first = useApiQuery('activity.query', filter);
  const api = useApi();
  const verify = useApiAction('activity.verify', { quiet: true });

  // New records: the newest page is read again (at most a few times a second).
  useEffect(() => {
    let pending: ReturnType<typeof setTimeout> | undefined;
    const stop = live.onEvent((event) => {
      if (event.type !== 'activity.recorded' || pending) return;
      pending = setTimeout(() => {
        pending = undefined;
        void queries.invalidateQueries({ queryKey: ['activity.query'] });
        void queries.invalidateQueries({ queryKey: ['activity.stats'] });
      }, 300);
    });
    return () => {
      stop();
      clearTimeout(pending);
    };
  }, [live, queries]);
  useEffect(() => setOlder(undefined), [kind, server, status, debounced]);

  const newest = first.data?.records ?? [];
  const oldestShown = newest.length ? newest[newest.length - 1].seq : Infinity;
  const records = [...newest, ...(older?.records ?? []).filter((r) => r.seq < oldestShown)];
  const next = older ? older.next : first.data?.next;
  const loadOlder = (before: number) =>
    api.call('activity.query', { ...filter, before }).then(
      (page) => setOlder((o) => ({ records: [...(o?.records ?? []), ...page.records], next: page.next })),
      (err) => showError('Could not read older records', err),
    );
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Activity</Title>
        <Group gap="xs">
          {verify.data ? (
            verify.data.ok ? (
              <Badge color="teal" variant="light">
                Intact: {verify.data.checked} records
              </Badge>
            ) : (
              <Badge color="red">Tampered: {counted(verify.data.problems.length, 'problem')}</Badge>
            )
          ) : null}
          <Button variant="default" onClick={() => verify.mutate({})} loading={verify.isPending}>
            Verify the log
          </Button>
        </Group>
      </Group>
      {verify.data && !verify.data.ok ? (
        <Alert color="red" title="The activity log was changed outside Gatehouse" role="alert">
          {verify.data.problems.slice(0, 10).map((p) => (
            <Text size="sm" key={`${p.seq}-${p.problem}`}>
              {p.problem}
            </Text>
          ))}
        </Alert>
      ) : null}
      {verify.error ? <Alert color="red">{errorText(verify.error)}</Alert> : null}
      <Group grow align="flex-end">
        <TextInput label="Search" description="Tool names, arguments, results, errors" value={text} onChange={(e) => setText(e.currentTarget.value)} />
        <Select label="Kind" clearable value={kind} onChange={setKind} data={['call', 'read', 'server', 'trust', 'config', 'admin', 'signin']} />
        <Select label="Server" clearable searchable value={server} onChange={setServer} data={(servers.data?.servers ?? []).map((s) => s.name)} />
        <Select label="Status" clearable value={status} onChange={setStatus} data={['ok', 'error', 'denied', 'declined', 'cancelled', 'unavailable', 'egress-refused', 'unknown']} />
      </Group>
      {first.error ? <Alert color="red">{errorText(first.error)}</Alert> : null}
      {first.data && !records.length ? <Alert color="gray">No activity matches.</Alert> : null}
      {records.length ? (
        <Card withBorder p={0}>
          <Table highlightOnHover aria-label="Activity records">
            <TableHead columns={['When', 'Who', 'What', 'Status', 'Time']} />
            <Table.Tbody>
              {records.map((r) => (
                <Table.Tr key={r.seq} data-seq={r.seq}>
                  <Table.Td>
                    <Text size="sm">{new Date(r.at).toLocaleTimeString()}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Text size="sm">{who(r)}</Text>
                  </Table.Td>
                  <Table.Td>
                    <Button variant="subtle" size="compact-sm" onClick={() => setOpen(r)} aria-label={`Open record ${r.seq}: ${what(r)}`} className="gh-mono">
                      {what(r)}
                    </Button>
                  </Table.Td>
                  <Table.Td>{r.status ? <Badge color={STATUS_COLOR[r.status] ?? 'gray'} variant="light">{r.status}</Badge> : null}</Table.Td>
                  <Table.Td>{r.durationMs !== undefined ? `${Math.round(r.durationMs)} ms` : ''}</Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      ) : null}
      {next !== undefined ? (
        <Group>
          <Button variant="default" onClick={() => loadOlder(next)}>
            Older
          </Button>
        </Group>
      ) : null}
      <Stats />
      <RecordDetail record={open} onClose={() => setOpen(undefined)} />
    </Stack>
  );
}
