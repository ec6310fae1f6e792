// Settings: gateway mode, limits, search by meaning, hidden text, the management tool, isolation defaults and
// images, the activity log's retention, the gateway token, the theme.
import { Alert, Button, Card, Group, List, Modal, NumberInput, SegmentedControl, Select, Stack, Switch, Text, TextInput, Title, useMantineColorScheme, type MantineColorScheme } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import type { MethodInput, MethodOutput } from '../../../src-shared/api/index.js';
import { RETENTION_FLOOR } from '../../../src-shared/config/retention.js';
import { errorText, showError, useApi, useApiAction, useApiQuery } from '../../api/context.js';
import { DialogActions } from '../../components/DialogActions.js';
import { ImagesCard } from './ImagesCard.js';
import { rebased } from './rebase.js';

type Settings = MethodOutput<'settings.get'>['settings'];
type Cost = MethodOutput<'settings.preview'>;

const KEPT_LABEL: Record<keyof Settings['activity'], string> = { maxAgeDays: 'Days', maxRecords: 'Records', maxMB: 'MB' };

function Labeled({ id, label, description, children }: { id: string; label: string; description?: string; children: React.ReactNode }) {
  return (
    <div>
      <Text size="sm" fw={500} id={id}>
        {label}
      </Text>
      {description ? (
        <Text size="xs" c="dimmed" mb={4}>
          {description}
        </Text>
      ) : null}
      {children}
    </div>
  );
}

export function SettingsPage() {
  const current = useApiQuery('settings.get', {});
  const api = useApi();
  const save = useApiAction('settings.set', { success: () => 'Settings saved' });
  // What saving would cost (servers sent back to review, protections turned off), asked before saving.
  const [cost, setCost] = useState<{ changes: MethodInput<'settings.set'>; said: Cost }>();
  const [weighing, setWeighing] = useState(false);
  const rotate = useApiAction('gateway.rotateToken', { success: () => 'New token made: update your clients (Connect page)' });
  const [draft, setDraft] = useState<Settings>();
  const [rotating, setRotating] = useState(false);
  const { colorScheme, setColorScheme } = useMantineColorScheme();
  // Settings saved elsewhere while the page is open show at once, without undoing what the person edited.
  const base = useRef<Settings>(undefined);
  useEffect(() => {
    if (!current.data) return;
    const next = current.data.settings;
    const was = base.current;
    base.current = next;
    setDraft((d) => (d && was ? rebased(d, was, next) : next));
  }, [current.data]);
  if (current.error) return <Alert color="red">{errorText(current.error)}</Alert>;
  if (!draft) return null;
  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => setDraft((d) => (d ? { ...d, [key]: value } : d));
  const setIso = <K extends keyof Settings['isolation']>(key: K, value: Settings['isolation'][K]) => setDraft((d) => (d ? { ...d, isolation: { ...d.isolation, [key]: value } } : d));
  const setKept = (key: keyof Settings['activity'], value: number) => setDraft((d) => (d ? { ...d, activity: { ...d.activity, [key]: value } } : d));
  const raised = draft.activityRaised ?? {};
  const submit = async () => {
    const { managementForced: _forced, activityRaised: _raised, activity, ...chosen } = draft;
    // The log's bounds are written only when changed, so a config.json that says nothing of them stays so.
    const was = current.data?.settings.activity;
    const activityChanged = !was || (Object.keys(activity) as (keyof typeof activity)[]).some((key) => activity[key] !== was[key]);
    const changes: MethodInput<'settings.set'> = {
      ...chosen,
      isolation: { ...draft.isolation, memory: draft.isolation.memory || null, cpus: draft.isolation.cpus ?? null },
      ...(activityChanged ? { activity } : {}),
    };
    setWeighing(true);
    try {
      const said = await api.call('settings.preview', changes);
      if (said.sentBack.length || said.givenUp.length) setCost({ changes, said });
      else save.mutate(changes);
    } catch (err) {
      showError('settings.preview failed', err);
    } finally {
      setWeighing(false);
    }
  };
  return (
    <Stack maw={720}>
      <Title order={1}>Settings</Title>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <Stack>
          <Card withBorder>
            <Stack>
              <Title order={2} size="h4">
                Gateway
              </Title>
              <Labeled id="mode-label" label="What agents see" description="Search: a few meta-tools to find and call any approved tool. Direct: every approved tool by name.">
                <SegmentedControl
                  aria-labelledby="mode-label"
                  value={draft.mode}
                  onChange={(v) => set('mode', v as Settings['mode'])}
                  data={[
                    { value: 'search', label: 'Search' },
                    { value: 'direct', label: 'Direct' },
                  ]}
                />
              </Labeled>
              <Switch label="Search by meaning (the bundled model)" checked={draft.searchByMeaning} onChange={(e) => set('searchByMeaning', e.currentTarget.checked)} />
              <Switch
                label="Take hidden text out of what servers send back"
                description="Characters no screen draws but models read (tag characters, runs of variation selectors or zero-width characters), in results, prompts and resources"
                checked={draft.removeHiddenText}
                onChange={(e) => set('removeHiddenText', e.currentTarget.checked)}
              />
              <Select
                label="The tool agents use to manage servers (upstream_servers)"
                description={
                  draft.managementForced
                    ? `Gatehouse was started with ${draft.managementForced === 'off' ? '--disable-management: the tool is not offered' : '--read-only: the tool lists servers only'}, whatever is chosen here.`
                    : undefined
                }
                allowDeselect={false}
                value={draft.management}
                onChange={(v) => v && set('management', v as Settings['management'])}
                data={[
                  { value: 'full', label: 'Offered: agents may add, change and remove servers, each sent to review' },
                  { value: 'list', label: 'Offered to list servers only' },
                  { value: 'off', label: 'Not offered' },
                ]}
              />
              <Group grow>
                <NumberInput label="Longest result (characters)" min={1000} value={draft.maxResultChars} onChange={(v) => set('maxResultChars', Number(v))} />
                <NumberInput label="Call timeout (seconds)" min={1} value={draft.callTimeoutSeconds} onChange={(v) => set('callTimeoutSeconds', Number(v))} />
              </Group>
              <Group grow>
                <NumberInput label="Stop idle servers after (minutes, 0 never)" min={0} value={draft.idleTimeoutMinutes} onChange={(v) => set('idleTimeoutMinutes', Number(v))} />
                <NumberInput label="Wait for your yes (seconds)" min={1} value={draft.approvalTimeoutSeconds} onChange={(v) => set('approvalTimeoutSeconds', Number(v))} />
              </Group>
            </Stack>
          </Card>
          <Card withBorder>
            <Stack>
              <Title order={2} size="h4">
                Isolation for command servers
              </Title>
              <Switch label="Run command servers in Docker containers unless their entry says otherwise" checked={draft.isolation.enabled} onChange={(e) => setIso('enabled', e.currentTarget.checked)} />
              <Group grow>
                <Select
                  label="Network"
                  allowDeselect={false}
                  value={draft.isolation.network}
                  onChange={(v) => v && setIso('network', v as 'none' | 'bridge')}
                  data={[
                    { value: 'none', label: 'None (no network)' },
                    { value: 'bridge', label: 'Bridge (internet)' },
                  ]}
                />
                <TextInput label="Memory limit" placeholder="e.g. 512m" value={draft.isolation.memory ?? ''} onChange={(e) => setIso('memory', e.currentTarget.value)} />
                <NumberInput
                  label="CPU limit"
                  placeholder="e.g. 1.5"
                  min={0.01}
                  decimalScale={2}
                  value={draft.isolation.cpus ?? ''}
                  onChange={(v) => setIso('cpus', v === '' ? undefined : Number(v))}
                />
              </Group>
              <Select
                label="When Docker is not available"
                allowDeselect={false}
                value={draft.isolation.fallback}
                onChange={(v) => v && setIso('fallback', v as 'none' | 'unisolated')}
                data={[
                  { value: 'none', label: 'Do not start the server' },
                  { value: 'unisolated', label: 'Run it without a container' },
                ]}
              />
            </Stack>
          </Card>
          <Card withBorder>
            <Stack>
              <Title order={2} size="h4">
                Activity log
              </Title>
              <Text size="sm" c="dimmed">
                The oldest records go first when any of these is reached. The log always keeps at least {RETENTION_FLOOR.maxAgeDays} day,{' '}
                {RETENTION_FLOOR.maxRecords.toLocaleString('en')} records and {RETENTION_FLOOR.maxMB} MB, so no edit of config.json can make it
                forget what agents just did.
              </Text>
              {Object.keys(raised).length ? (
                <Alert color="yellow" title="config.json asks the log to keep less than it ever does">
                  {(Object.keys(raised) as (keyof typeof raised)[]).map((key) => `${KEPT_LABEL[key]}: ${raised[key]!.toLocaleString('en')} asked, ${draft.activity[key].toLocaleString('en')} kept`).join(' · ')}
                </Alert>
              ) : null}
              <Group grow>
                <NumberInput label="Keep records for (days)" min={RETENTION_FLOOR.maxAgeDays} value={draft.activity.maxAgeDays} onChange={(v) => setKept('maxAgeDays', Number(v))} />
                <NumberInput label="Keep at most (records)" min={RETENTION_FLOOR.maxRecords} step={10_000} thousandSeparator="," value={draft.activity.maxRecords} onChange={(v) => setKept('maxRecords', Number(v))} />
                <NumberInput label="Keep at most (MB)" min={RETENTION_FLOOR.maxMB} value={draft.activity.maxMB} onChange={(v) => setKept('maxMB', Number(v))} />
              </Group>
            </Stack>
          </Card>
          <Group justify="flex-end">
            <Button type="submit" loading={weighing || save.isPending}>
              Save settings
            </Button>
          </Group>
        </Stack>
      </form>
      <ImagesCard />
      <Card withBorder>
        <Stack>
          <Title order={2} size="h4">
            Gateway token
          </Title>
          <Text size="sm">A new token locks out every client holding the old one until you give it the new one.</Text>
          <Group>
            <Button color="red" variant="light" onClick={() => setRotating(true)}>
              Rotate the token
            </Button>
          </Group>
        </Stack>
      </Card>
      <Card withBorder>
        <Labeled id="theme-label" label="Theme">
          <SegmentedControl
            aria-labelledby="theme-label"
            value={colorScheme}
            onChange={(v) => setColorScheme(v as MantineColorScheme)}
            data={[
              { value: 'light', label: 'Light' },
              { value: 'dark', label: 'Dark' },
              { value: 'auto', label: 'As the system' },
            ]}
          />
        </Labeled>
      </Card>
      <Modal opened={!!cost} onClose={() => setCost(undefined)} title="Save these settings?">
        {cost?.said.sentBack.length ? (
          <>
            <Text size="sm">These approved servers go back to review: agents lose their tools until you approve them again.</Text>
            <List size="sm" mt="xs">
              {cost.said.sentBack.map((s) => (
                <List.Item key={s.name}>
                  <b>{s.name}</b>: {s.reason}
                </List.Item>
              ))}
            </List>
          </>
        ) : null}
        {cost?.said.givenUp.length ? (
          <>
            <Text size="sm" mt={cost.said.sentBack.length ? 'md' : undefined}>
              This turns off what guards you:
            </Text>
            <List size="sm" mt="xs">
              {cost.said.givenUp.map((g) => (
                <List.Item key={g}>{g}</List.Item>
              ))}
            </List>
          </>
        ) : null}
        <DialogActions onCancel={() => setCost(undefined)} mt="md">
          <Button color="red" loading={save.isPending} onClick={() => cost && save.mutate(cost.changes, { onSuccess: () => setCost(undefined) })}>
            Save anyway
          </Button>
        </DialogActions>
      </Modal>
      <Modal opened={rotating} onClose={() => setRotating(false)} title="Rotate the gateway token?">
        <Text size="sm">Every connected client is refused until it has the new token.</Text>
        <DialogActions onCancel={() => setRotating(false)} mt="md">
          <Button color="red" loading={rotate.isPending} onClick={() => rotate.mutate({}, { onSuccess: () => setRotating(false) })}>
            Rotate
          </Button>
        </DialogActions>
      </Modal>
    </Stack>
  );
}
