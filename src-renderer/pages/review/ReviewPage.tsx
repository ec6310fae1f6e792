// Quarantine review: what waits for a person, and for one server everything to decide on — what will run,
// every tool, prompt and template in full with invisible characters shown and the scanner's findings
// marked, diffs for changed or renamed ones — then approve or block, per item or for the whole server.
// An approval covers what this page showed: if the server changed since, it is refused and the page
// shows the new state.
import { Alert, Anchor, Badge, Button, Card, Checkbox, Group, List, Loader, Modal, NavLink, Select, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { notifications } from '@mantine/notifications';
import { useQueryClient } from '@tanstack/react-query';
import { memo, useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { Link } from 'wouter';
import type { z } from 'zod';
import type { ItemReviewSchema, MethodOutput } from '../../../src-shared/api/index.js';
import { ApiError } from '../../../src-shared/api/index.js';
import { allButFlagged, flaggedItem, reviewOrder, waitsForReview } from '../../../src-shared/trust.js';
import { errorText, showError, useApi, useApiAction, useApiQuery } from '../../api/context.js';
import { useLive } from '../../api/live.js';
import { TrustBadge, ToolTrustBadge } from '../../components/badges.js';
import { DefinitionView, DiffView } from '../../components/DefinitionView.js';
import { DialogActions } from '../../components/DialogActions.js';
import { FindingsAlert } from '../../components/Findings.js';
import { ScanDefinitions } from './ScanDefinitions.js';
import { counted } from '../../../src-shared/counted.js';

type Item = z.output<typeof ItemReviewSchema> & { renamedFrom?: string; rule?: 'allow' | 'ask' | 'deny' };
type Kind = 'tools' | 'prompts' | 'resourceTemplates' | 'resources';

const KIND_LABEL: Record<Kind, string> = { tools: 'Tool', prompts: 'Prompt', resourceTemplates: 'Resource template', resources: 'Resource' };
const KINDS: Kind[] = ['tools', 'prompts', 'resourceTemplates', 'resources'];
const noneSelected = (): Record<Kind, Set<string>> => ({ tools: new Set(), prompts: new Set(), resourceTemplates: new Set(), resources: new Set() });

/** Flagged items named before approving a whole server: a server can list thousands. */
const FLAGGED_NAMED = 10;

/** Cards drawn at a time per section: a server can list thousands of tools, each a whole definition. */
const PAGE_SIZE = 50;

type OnSelect = (kind: Kind, name: string, on: boolean) => void;

const ItemCard = memo(function ItemCard({ server, kind, item, selected, onSelect }: { server: string; kind: Kind; item: Item; selected: boolean; onSelect: OnSelect }) {
  const setRule = useApiAction('policy.set', { success: (o) => `${o.tool}: ${o.rule === 'default' ? 'default rule' : o.rule}` });
  const waiting = waitsForReview(item);
  return (
    <Card withBorder data-item={item.name} component="section" aria-label={`${KIND_LABEL[kind]} ${item.name}`}>
      <Group justify="space-between" mb="xs">
        <Group gap="xs">
          <Checkbox aria-label={`Select ${KIND_LABEL[kind].toLowerCase()} ${item.name}`} checked={selected} onChange={(e) => onSelect(kind, item.name, e.currentTarget.checked)} />
          <Title order={3} size="h5" className="gh-mono">
            {item.name}
          </Title>
          <ToolTrustBadge trust={item.trust} pending={kind === 'resources' ? 'held back' : undefined} />
          {item.renamedFrom ? (
            <Badge color="violet" variant="light">
              renamed from {item.renamedFrom}
            </Badge>
          ) : null}
          {item.findings.length ? (
            <Badge color={flaggedItem(item) ? 'red' : 'gray'} variant={flaggedItem(item) ? 'filled' : 'light'}>
              {item.findings.length} {flaggedItem(item) ? '' : 'low '}finding{item.findings.length > 1 ? 's' : ''}
            </Badge>
          ) : null}
        </Group>
        {kind === 'tools' && item.rule ? (
          <Select
            aria-label={`When an agent calls ${item.name}`}
            size="xs"
            w={150}
            allowDeselect={false}
            value={item.rule}
            data={[
              { value: 'allow', label: 'Calls: allow' },
              { value: 'ask', label: 'Calls: ask me' },
              { value: 'deny', label: 'Calls: deny' },
            ]}
            onChange={(rule) => rule && setRule.mutate({ server, tool: item.name, rule: rule as 'allow' | 'ask' | 'deny' })}
          />
        ) : null}
      </Group>
      <FindingsAlert findings={item.findings} />
      {item.diff && waiting ? <DiffView lines={item.diff} label={`What changed in ${item.name}`} /> : null}
      <Text size="xs" c="dimmed" mt="xs" mb={4}>
        {waiting && item.diff ? 'The new definition in full' : 'Definition'}
      </Text>
      <DefinitionView definition={item.definition} findings={item.findings} label={`Definition of ${item.name}`} />
    </Card>
  );
});

/** One kind's items, those that need a person first (the server's order within each), a page at a time. */
function Section({ server, kind, items, selected, onSelect }: { server: string; kind: Kind; items: Item[]; selected: Set<string>; onSelect: OnSelect }) {
  const [limit, setLimit] = useState(PAGE_SIZE);
  const ordered = useMemo(() => reviewOrder(items), [items]);
  const left = ordered.length - limit;
  return (
    <Stack gap="sm">
      <Title order={2} size="h4">
        {KIND_LABEL[kind]}s ({items.length})
      </Title>
      {kind === 'resources' ? (
        <Text size="sm" c="dimmed">
          A server's resources are its data and reach agents as listed, but for these: the scanner flagged what they say, so agents do not get them until you approve them.
        </Text>
      ) : null}
      {left > 0 ? (
        <Text size="sm" c="dimmed">
          Showing {limit} of {items.length}: those with findings, then changed, then new ones first.
        </Text>
      ) : null}
      {ordered.slice(0, limit).map((item) => (
        <ItemCard key={item.name} server={server} kind={kind} item={item} selected={selected.has(item.name)} onSelect={onSelect} />
      ))}
      {left > 0 ? (
        <Button variant="default" onClick={() => setLimit((n) => n + PAGE_SIZE)}>
          Show {Math.min(PAGE_SIZE, left)} more {KIND_LABEL[kind].toLowerCase()}s ({left} not shown)
        </Button>
      ) : null}
    </Stack>
  );
}

/** How it will be started beyond its command: environment, headers, folder, container. */
function LaunchDetails({ server, approved, launch }: { server: string; approved: boolean; launch: MethodOutput<'servers.review'>['review']['launch'] }) {
  const release = useApiAction('servers.pinRelease', { success: (out) => `"${server}" now runs ${out.release}` });
  const image = useApiAction('servers.pinImage', { success: (out) => `"${server}" now runs in ${out.image}` });
  return (
    <Stack gap={0} mt={4}>
      {launch.env.map((e) => (
        <Text size="xs" key={`env-${e.name}`} className="gh-mono">
          env {e.name}={e.value}
        </Text>
      ))}
      {launch.headers.map((h) => (
        <Text size="xs" key={`header-${h.name}`} className="gh-mono">
          header {h.name}: {h.value}
        </Text>
      ))}
      {launch.cwd ? (
        <Text size="xs" className="gh-mono">
          in {launch.cwd}
        </Text>
      ) : null}
      {launch.sandbox ? (
        <Text size="xs" mt={4} data-testid="review-sandbox">
          {launch.sandbox}
        </Text>
      ) : null}
      {launch.release ? (
        <PinAction testId="review-release" text={launch.release} label="Pin the newest release" what="release" sendsBack={approved} pending={release.isPending} pin={(done) => release.mutate({ name: server }, { onSuccess: done })} />
      ) : null}
      {launch.image ? (
        <PinAction
          testId="review-image"
          text={launch.image}
          label="Pin the image"
          what="image"
          // The digest names the image its tag names now: an approved server stays approved.
          sendsBack={false}
          pending={image.isPending}
          pin={(done) => image.mutate({ name: server }, { onSuccess: done })}
          also={
            launch.imageRuntime ? (
              <Anchor component={Link} href="/settings" size="xs">
                Or pin it for every {launch.imageRuntime} server, in Settings
              </Anchor>
            ) : undefined
          }
        />
      ) : null}
    </Stack>
  );
}

/** What runs unpinned, and a button that pins it; asks first when that sends an approved server back to review. */
function PinAction(props: { testId: string; text: string; label: string; what: 'release' | 'image'; sendsBack: boolean; pending: boolean; pin: (done: () => void) => void; also?: ReactNode }) {
  const queries = useQueryClient();
  const [asking, setAsking] = useState(false);
  const pinNow = () =>
    props.pin(() => {
      setAsking(false);
      void queries.invalidateQueries();
    });
  return (
    <>
      <Text size="xs" mt={4} data-testid={props.testId}>
        {props.text}
      </Text>
      <Group mt={4}>
        <Button size="compact-xs" variant="light" loading={props.pending && !asking} onClick={() => (props.sendsBack ? setAsking(true) : pinNow())}>
          {props.label}
        </Button>
        {props.also}
      </Group>
      <Modal opened={asking} onClose={() => setAsking(false)} title={`${props.label}?`}>
        <Text size="sm">Naming its {props.what} changes its entry, so this approved server goes back to review until you approve it again.</Text>
        <DialogActions onCancel={() => setAsking(false)} mt="md">
          <Button loading={props.pending} onClick={pinNow}>
            Pin it
          </Button>
        </DialogActions>
      </Modal>
    </>
  );
}

function ReviewDetail({ name }: { name: string }) {
  const api = useApi();
  const queries = useQueryClient();
  const live = useLive();
  const review = useApiQuery('servers.review', { name, refresh: false }, { staleTime: Infinity });
  const [changed, setChanged] = useState(false);
  const [selected, setSelected] = useState<Record<Kind, Set<string>>>(noneSelected);
  const [instructionsSelected, setInstructionsSelected] = useState(false);
  const [busy, setBusy] = useState<string>();
  const [confirming, setConfirming] = useState(false);
  const shown = review.data?.review;
  // What is shown when an answer arrives, not when its question was asked: a reload may land in between.
  const shownReviewed = useRef(shown?.reviewed);
  shownReviewed.current = shown?.reviewed;

  useEffect(() => {
    setChanged(false);
    setSelected(noneSelected());
    setInstructionsSelected(false);
  }, [shown?.reviewed]);

  // Something about this server changed: look again quietly, and say so if what is shown is out of date.
  useEffect(
    () =>
      live.onEvent((event) => {
        const about = event.type === 'trust.changed' || event.type === 'catalog.changed' ? event.payload.server : event.type === 'config.changed' ? name : undefined;
        if (about !== name || !shown) return;
        void api.call('servers.reviewed', { name }).then(
          (fresh) => shownReviewed.current !== undefined && fresh.reviewed !== shownReviewed.current && setChanged(true),
          () => undefined,
        );
      }),
    [live, api, name, shown],
  );

  const reload = () => queries.invalidateQueries({ queryKey: ['servers.review'] });
  /** The person's choice to run it: listed now, and the page shows what it lists. */
  const listNow = async () => {
    setBusy('list');
    try {
      queries.setQueryData(['servers.review', { name, refresh: false }], await api.call('servers.review', { name, refresh: true }));
    } catch (err) {
      showError(`Could not list ${name}`, err);
    } finally {
      setBusy(undefined);
    }
  };
  const selection = () => {
    const pick = (k: Kind) => (selected[k].size ? [...selected[k]] : undefined);
    return { tools: pick('tools'), prompts: pick('prompts'), resourceTemplates: pick('resourceTemplates'), resources: pick('resources'), ...(instructionsSelected ? { instructions: true } : {}) };
  };
  const count = KINDS.reduce((n, k) => n + selected[k].size, 0) + (instructionsSelected ? 1 : 0);
  const onSelect = useCallback<OnSelect>(
    (kind, item, on) =>
      setSelected((s) => {
        const next = new Set(s[kind]);
        if (on) next.add(item);
        else next.delete(item);
        return { ...s, [kind]: next };
      }),
    [],
  );

  /** `whole`: the server; false: the items ticked; or the items named. */
  const decide = async (action: 'approve' | 'block', whole: boolean | { parts: Partial<Record<Kind, string[]>> & { instructions?: boolean }; said: string }) => {
    if (!shown) return;
    setBusy(`${action}-${typeof whole === 'boolean' ? whole : 'named'}`);
    try {
      const parts = whole === true ? {} : whole === false ? selection() : whole.parts;
      if (action === 'approve') await api.call('servers.approve', { name, ...parts, reviewed: shown.reviewed });
      else await api.call('servers.block', { name, ...parts });
      const what = whole === true ? name : whole === false ? `${counted(count, 'item')} of ${name}` : whole.said;
      notifications.show({ color: action === 'approve' ? 'green' : 'orange', message: `${what} ${action === 'approve' ? 'approved' : 'blocked'}` });
      await reload();
    } catch (err) {
      if (err instanceof ApiError && err.code === 'conflict') {
        notifications.show({ color: 'orange', title: 'Not approved: the server changed since this page loaded', message: 'Here is what it is now. Review it again.', autoClose: 10_000 });
        await reload();
      } else showError(`Could not ${action}`, err);
    } finally {
      setBusy(undefined);
      setConfirming(false);
    }
  };

  if (review.isPending) {
    return (
      <Group>
        <Loader size="sm" aria-label="Loading the review" />
        <Text>Connecting to {name} to list what it offers…</Text>
      </Group>
    );
  }
  if (review.error || !shown) return <Alert color="red" title={`Could not review ${name}`}>{errorText(review.error)}</Alert>;

  const sections: [Kind, Item[]][] = [
    ['tools', shown.tools],
    ['prompts', shown.prompts],
    ['resourceTemplates', shown.resourceTemplates],
    ['resources', shown.resources],
  ];
  const waitingCount = sections.reduce((n, [, items]) => n + items.filter(waitsForReview).length, 0) + (shown.trust === 'approved' && shown.instructions && waitsForReview(shown.instructions) ? 1 : 0);
  // What waits and the scanner flagged: approving the whole server lets agents call it, so ask first.
  const flaggedWaiting = [
    ...(shown.instructions && waitsForReview(shown.instructions) && flaggedItem(shown.instructions) ? ['Instructions to the model'] : []),
    ...sections.flatMap(([kind, items]) => items.filter((i) => waitsForReview(i) && flaggedItem(i)).map((i) => `${KIND_LABEL[kind]} ${i.name}`)),
  ];
  const unflagged = allButFlagged(shown);
  const unflaggedCount = [unflagged.tools, unflagged.prompts, unflagged.resourceTemplates].reduce((n, names) => n + (names?.length ?? 0), 0);

  return (
    <Stack>
      <Group justify="space-between">
        <Group>
          <Title order={1}>Review {name}</Title>
          <TrustBadge trust={shown.trust} />
        </Group>
        <Group gap="xs">
          <Button onClick={() => (flaggedWaiting.length ? setConfirming(true) : decide('approve', true))} loading={busy === 'approve-true'} color="teal">
            Approve server
          </Button>
          <Button onClick={() => decide('block', true)} loading={busy === 'block-true'} color="red" variant="light">
            Block server
          </Button>
        </Group>
      </Group>
      {changed ? (
        <Alert color="orange" title="This server changed since the page loaded" role="alert">
          <Group justify="space-between">
            <Text size="sm">An approval now would be refused: it covers only what you saw.</Text>
            <Button size="xs" variant="white" onClick={reload}>
              Show the new state
            </Button>
          </Group>
        </Alert>
      ) : null}
      <Card withBorder>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <div>
            <Text size="sm" fw={500}>
              What will run ({shown.transport})
            </Text>
            <Text className="gh-mono" data-testid="review-target">
              {shown.target}
            </Text>
            <LaunchDetails server={name} approved={shown.trust === 'approved'} launch={shown.launch} />
          </div>
          <div>
            <Text size="sm" fw={500}>
              Why it is here
            </Text>
            <Text size="sm">
              {shown.reason ?? (waitingCount ? `${counted(waitingCount, 'item')} new, changed since approval or flagged` : 'Nothing waits.')}
              {shown.origin === 'agent' && !/by an agent/.test(shown.reason ?? '') ? ' — added or changed by an agent' : ''}
            </Text>
          </div>
        </SimpleGrid>
        {shown.launch.concerns.length ? (
          <Alert color="orange" mt="sm" title="Look at how it starts before approving it" data-testid="review-concerns">
            <List size="sm">
              {shown.launch.concerns.map((c) => (
                <List.Item key={c}>{c}</List.Item>
              ))}
            </List>
          </Alert>
        ) : null}
        {shown.notStarted ? (
          <Alert color="blue" mt="sm" title="Not started yet" data-testid="review-not-started">
            <Text size="sm">{shown.notStarted}</Text>
            <Button size="xs" mt="xs" variant="light" loading={busy === 'list'} onClick={() => void listNow()}>
              Start it and list its tools
            </Button>
          </Alert>
        ) : null}
        {shown.error ? (
          <Alert color="red" mt="sm" title="It could not be listed">
            {shown.error}
          </Alert>
        ) : null}
        {shown.removed.length ? (
          <Text size="sm" mt="sm">
            Gone since approval: <span className="gh-mono">{shown.removed.join(', ')}</span>
          </Text>
        ) : null}
        {shown.namedBy?.length ? (
          <Alert color="orange" mt="sm" title="Other servers' tools name this server's tools" data-testid="review-named-by">
            <Text size="sm" mb="xs">
              A description that names another server's tool can steer how agents use it. Look at these before approving this server.
            </Text>
            <List size="sm">
              {shown.namedBy.map((n) => (
                <List.Item key={`${n.server}\u0000${n.tool}`}>
                  <Anchor component={Link} href={`/review/${encodeURIComponent(n.server)}`}>
                    {n.server}
                  </Anchor>{' '}
                  › <span className="gh-mono">{n.tool}</span> ({n.trust}) names <span className="gh-mono">{n.names.join(', ')}</span>
                </List.Item>
              ))}
            </List>
          </Alert>
        ) : null}
      </Card>
      {count ? (
        <Card withBorder shadow="sm" pos="sticky" top={64} style={{ zIndex: 2 }}>
          <Group justify="space-between">
            <Text size="sm">{count} selected</Text>
            <Group gap="xs">
              <Button size="xs" color="teal" onClick={() => decide('approve', false)} loading={busy === 'approve-false'}>
                Approve selected
              </Button>
              {/* Instructions come with the server: only the whole server can be blocked for them. */}
              <Button size="xs" color="red" variant="light" onClick={() => decide('block', false)} loading={busy === 'block-false'} disabled={instructionsSelected} title={instructionsSelected ? 'Instructions to the model cannot be blocked apart from their server' : undefined}>
                Block selected
              </Button>
            </Group>
          </Group>
        </Card>
      ) : null}
      <Modal size="lg" opened={confirming} onClose={() => setConfirming(false)} title={`The scanner flagged ${flaggedWaiting.length} of what waits`}>
        <Stack gap="xs">
          <Text size="sm">Approving the whole server approves {flaggedWaiting.length === 1 ? 'it' : 'them'} too, and agents can then use {flaggedWaiting.length === 1 ? 'it' : 'them'}:</Text>
          <List size="sm" className="gh-mono">
            {flaggedWaiting.slice(0, FLAGGED_NAMED).map((item) => (
              <List.Item key={item}>{item}</List.Item>
            ))}
          </List>
          {flaggedWaiting.length > FLAGGED_NAMED ? <Text size="sm">… and {flaggedWaiting.length - FLAGGED_NAMED} more</Text> : null}
          <DialogActions onCancel={() => setConfirming(false)} mt="sm">
            {unflaggedCount ? (
              <Button color="teal" loading={busy === 'approve-named'} onClick={() => decide('approve', { parts: unflagged, said: `${name} (but for what the scanner flagged)` })}>
                Approve all but the flagged
              </Button>
            ) : null}
            <Button color="red" loading={busy === 'approve-true'} onClick={() => decide('approve', true)}>
              Approve all
            </Button>
          </DialogActions>
        </Stack>
      </Modal>
      {shown.instructions ? (
        <Card withBorder data-item="instructions" component="section" aria-label="Instructions to the model">
          <Group gap="xs" mb="xs">
            <Checkbox aria-label="Select the instructions to the model" checked={instructionsSelected} onChange={(e) => setInstructionsSelected(e.currentTarget.checked)} />
            <Title order={2} size="h4">
              Instructions to the model
            </Title>
            <ToolTrustBadge trust={shown.instructions.trust} />
          </Group>
          <Text size="sm" c="dimmed" mb="xs">
            What the server tells an AI client about itself; a client connected to its own endpoint gets them. Approved with the server: changed since, they are held back until you approve them (tick them) or the server again.
          </Text>
          <FindingsAlert findings={shown.instructions.findings} />
          <DefinitionView definition={{ instructions: shown.instructions.text }} findings={shown.instructions.findings} label={`Instructions of ${name}`} />
        </Card>
      ) : null}
      {sections.map(([kind, items]) => (items.length ? <Section key={`${shown.reviewed}-${kind}`} server={name} kind={kind} items={items} selected={selected[kind]} onSelect={onSelect} /> : null))}
      {shown.otherResources ? (
        <Text size="sm" c="dimmed">
          {shown.resources.length ? 'It also lists' : 'It lists'} {counted(shown.otherResources, 'resource')} the scanner found nothing in: its data, which agents get with the server.
        </Text>
      ) : null}
    </Stack>
  );
}

export function ReviewPage({ name }: { name?: string }) {
  const servers = useApiQuery('servers.list', {});
  const list = servers.data?.servers ?? [];
  const waiting = useMemo(() => list.filter((s) => s.trust === 'quarantined' || s.attention > 0), [list]);
  if (name) {
    return (
      <Stack>
        <Anchor component={Link} href="/review" size="sm">
          ← Everything waiting for review
        </Anchor>
        <ReviewDetail key={name} name={name} />
      </Stack>
    );
  }
  return (
    <Stack>
      <Title order={1}>Review</Title>
      {servers.data && !waiting.length ? <Alert color="teal">Nothing waits for your review.</Alert> : null}
      {waiting.length ? (
        <Card withBorder p={0}>
          <nav aria-label="Waiting for review">
            {waiting.map((s) => (
              <NavLink
                key={s.name}
                component={Link}
                href={`/review/${encodeURIComponent(s.name)}`}
                label={s.name}
                description={s.trust === 'quarantined' ? `quarantined — ${s.target}` : `${counted(s.attention, 'item')} new, changed or flagged`}
                rightSection={<TrustBadge trust={s.trust} />}
              />
            ))}
          </nav>
        </Card>
      ) : null}
      {list.length > waiting.length ? (
        <Text size="sm" c="dimmed">
          Review another server again:{' '}
          {list
            .filter((s) => !waiting.includes(s))
            .map((s, i) => (
              <span key={s.name}>
                {i ? ', ' : ''}
                <Anchor component={Link} href={`/review/${encodeURIComponent(s.name)}`}>
                  {s.name}
                </Anchor>
              </span>
            ))}
        </Text>
      ) : null}
      <ScanDefinitions />
    </Stack>
  );
}
