// One server: its state and the fix, what it runs, its actions (enable/disable, restart, edit, remove),
// and its own log, tailing live.
import { Alert, Anchor, Badge, Button, Card, Group, Modal, Stack, TagsInput, Text, Textarea, Title } from '@mantine/core';
import { useEffect, useRef, useState } from 'react';
import { Link, useLocation } from 'wouter';
import type { EventPayload } from '../../../src-shared/api/index.js';
import { ServerConfigSchema } from '../../../src-shared/api/index.js';
import { containerSettings, ownIsolationWith } from '../../../src-shared/config/container.js';
import type { IsolationConfig, ServerConfig } from '../../../src-shared/config/schema.js';
import { errorText, useApiAction, useApiQuery } from '../../api/context.js';
import { useLive } from '../../api/live.js';
import { fixFor, StateBadge, TrustBadge } from '../../components/badges.js';
import { DialogActions } from '../../components/DialogActions.js';
import { VisibleText } from '../../components/VisibleText.js';
import { counted } from '../../../src-shared/counted.js';
import { stateLabel } from '../../../src-shared/sign-in.js';

type LogLine = EventPayload<'server.log'>;

function ServerLog({ name }: { name: string }) {
  const initial = useApiQuery('servers.logs', { name, limit: 200 });
  const live = useLive();
  const [lines, setLines] = useState<LogLine[]>([]);
  const box = useRef<HTMLPreElement>(null);
  useEffect(() => {
    if (initial.data) setLines(initial.data.lines);
  }, [initial.data]);
  useEffect(() => live.onLog((line) => line.server === name && setLines((all) => [...all.slice(-499), line])), [live, name]);
  useEffect(() => {
    const el = box.current;
    if (el) el.scrollTop = el.scrollHeight;
  }, [lines]);
  return (
    <Card withBorder>
      <Title order={2} size="h4" mb="xs">
        Log
      </Title>
      <pre ref={box} className="gh-mono gh-log" aria-label={`${name} log`} aria-live="polite" tabIndex={0}>
        {lines.length
          ? lines.map((l, i) => (
              <div key={i}>
                <Text span c="dimmed" size="xs">
                  {new Date(l.at).toLocaleTimeString()} {l.source === 'gatehouse' ? '·' : '>'}{' '}
                </Text>
                <VisibleText text={l.text} />
              </div>
            ))
          : 'Nothing logged yet.'}
      </pre>
    </Card>
  );
}

function EditServer({ name, config, opened, onClose }: { name: string; config: unknown; opened: boolean; onClose: () => void }) {
  const [text, setText] = useState('');
  // The entry as it was when the text was loaded: one saved elsewhere meanwhile replaces the text only if
  // the person has not edited it, and is otherwise said, with a way to load it.
  const [loaded, setLoaded] = useState('');
  const [problem, setProblem] = useState<string>();
  const update = useApiAction('servers.update', { quiet: true, success: (o) => (o.secrets.length ? `${name} saved; its secrets are kept in the secret store: ${o.secrets.join(', ')}` : `${name} saved`) });
  const saved = JSON.stringify(config, null, 2);
  const load = () => {
    setText(saved);
    setLoaded(saved);
    setProblem(undefined);
  };
  useEffect(() => {
    if (opened) load();
    // Only on opening: later changes are handled below.
  }, [opened]);
  useEffect(() => {
    if (opened && text === loaded) load();
  }, [saved]);
  const changedElsewhere = opened && saved !== loaded;
  const save = () => {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (err) {
      return setProblem(`Not JSON: ${(err as Error).message}`);
    }
    const parsed = ServerConfigSchema.safeParse(value);
    if (!parsed.success) return setProblem(parsed.error.issues.map((i) => (i.path.length ? `${i.path.join('.')}: ${i.message}` : i.message)).join('; '));
    update.mutate({ name, config: parsed.data }, { onSuccess: onClose, onError: (err) => setProblem(errorText(err)) });
  };
  return (
    <Modal opened={opened} onClose={onClose} title={`Edit ${name}`} size="lg">
      <Stack>
        <Text size="sm" c="dimmed">
          The entry as it is in config.json. A change to what it runs sends it back to review.
        </Text>
        <Textarea label="Entry" autosize minRows={8} value={text} onChange={(e) => setText(e.currentTarget.value)} styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }} />
        {changedElsewhere ? (
          <Alert color="yellow" role="alert" title="Changed elsewhere">
            <Stack gap="xs" align="flex-start">
              <Text size="sm">The entry was saved elsewhere since this opened. Saving here replaces that change.</Text>
              <Button size="xs" variant="default" onClick={load}>
                Load the saved entry (drops the edits here)
              </Button>
            </Stack>
          </Alert>
        ) : null}
        {problem ? (
          <Alert color="red" role="alert" title="Not saved">
            {problem}
          </Alert>
        ) : null}
        <DialogActions onCancel={onClose}>
          <Button onClick={save} loading={update.isPending}>
            Save
          </Button>
        </DialogActions>
      </Stack>
    </Modal>
  );
}

/** The hosts a container with no network may still reach, through Gatehouse's proxy; saved to its entry. */
function NetworkCard({ name, entry }: { name: string; entry: ServerConfig }) {
  const config = useApiQuery('config.get', {});
  const own: IsolationConfig = typeof entry.isolation === 'object' ? entry.isolation : {};
  const saved = own.allowHosts ?? [];
  const savedKey = saved.join('\n');
  // What the person typed, kept until the saved entry reads the same: a save landing while they type more
  // must not wipe it, and another client's save shows only where nothing is being typed.
  const [draft, setDraft] = useState<string[]>();
  const hosts = draft ?? saved;
  const [problem, setProblem] = useState<string>();
  const update = useApiAction('servers.update', { quiet: true, success: () => `${name}: the hosts its container may reach are saved` });
  useEffect(() => setDraft((d) => (d && d.join('\n') === savedKey ? undefined : d)), [savedKey]);
  const container = config.data ? containerSettings(entry.isolation, config.data.config.isolation as IsolationConfig | undefined) : undefined;
  if (entry.command === undefined || !container || container.network === 'bridge') return null;
  const save = () => {
    const isolation = ownIsolationWith(entry.isolation, { allowHosts: hosts.length ? hosts : undefined });
    const parsed = ServerConfigSchema.safeParse({ ...entry, isolation });
    if (!parsed.success) return setProblem(parsed.error.issues.map((i) => i.message).join('; '));
    setProblem(undefined);
    update.mutate({ name, config: parsed.data }, { onError: (err) => setProblem(errorText(err)) });
  };
  return (
    <Card withBorder aria-labelledby="network-title">
      <Title order={2} size="h4" id="network-title">
        Network
      </Title>
      <Text size="sm" mt={4}>
        Its container has no network. It reaches only the hosts named here, through Gatehouse&apos;s proxy, which refuses the rest and
        logs each refusal below. A name, &quot;*.domain&quot; for its subdomains, &quot;:port&quot; when not 80 or 443.
      </Text>
      <TagsInput mt="sm" label="Hosts it may reach" placeholder={hosts.length ? '' : 'api.github.com'} value={hosts} onChange={(typed) => setDraft(typed.join('\n') === savedKey ? undefined : typed)} splitChars={[',', ' ']} clearable />
      {problem ? (
        <Alert mt="sm" color="red" role="alert" title="Not saved">
          {problem}
        </Alert>
      ) : null}
      <Group justify="space-between" mt="sm">
        <Text size="xs" c="dimmed">
          Saving changes its entry, so an approved server goes back to review.
        </Text>
        <Button onClick={save} loading={update.isPending} disabled={hosts.join('\n') === savedKey}>
          Save hosts
        </Button>
      </Group>
    </Card>
  );
}

/** A server's OAuth sign-in: its state, Sign in (opens the authorization page), Sign out. */
function SignInCard({ name }: { name: string }) {
  const status = useApiQuery('auth.status', { name });
  const login = useApiAction('auth.login');
  const logout = useApiAction('auth.logout', { success: () => `Signed out of ${name}` });
  const signIn = status.data?.signIns[0];
  if (!signIn) return null;
  const start = () =>
    login.mutate(
      { name },
      {
        onSuccess: (o) => {
          if (o.authorizationUrl) window.open(o.authorizationUrl, '_blank', 'noopener');
        },
      },
    );
  const waiting = signIn.state === 'signing-in';
  return (
    <Card withBorder component="section" aria-labelledby="sign-in-title">
      <Group justify="space-between">
        <Group gap="xs">
          <Title order={2} size="h4" id="sign-in-title">
            Sign-in
          </Title>
          <Badge color={signIn.state === 'signed-in' ? 'teal' : signIn.state === 'required' || signIn.wants === 'key' ? 'orange' : 'gray'} variant="light">
            {stateLabel(signIn)}
          </Badge>
        </Group>
        <Group gap="xs">
          {signIn.state === 'signed-in' ? (
            <Button variant="default" onClick={() => logout.mutate({ name })} loading={logout.isPending}>
              Sign out
            </Button>
          ) : null}
          <Button onClick={start} loading={login.isPending} variant={signIn.state === 'signed-in' || signIn.wants === 'key' ? 'default' : 'filled'}>
            {waiting ? 'Open the sign-in page again' : signIn.state === 'signed-in' ? 'Sign in again' : 'Sign in'}
          </Button>
        </Group>
      </Group>
      {signIn.state === 'signed-in' ? (
        <Text size="sm" mt="xs">
          {signIn.scopes?.length ? `Scopes: ${signIn.scopes.join(' ')}. ` : ''}
          {signIn.expiresAt ? `The token is renewed before ${new Date(signIn.expiresAt).toLocaleString()}. ` : ''}
          Tokens are kept apart from config.json, in the secret store (the OS keychain unless you chose otherwise).
        </Text>
      ) : null}
      {waiting && signIn.authorizationUrl ? (
        <Text size="sm" mt="xs">
          Finish signing in in your browser. If no page opened,{' '}
          <Anchor href={signIn.authorizationUrl} target="_blank" rel="noopener">
            open the sign-in page
          </Anchor>
          .
        </Text>
      ) : null}
      {signIn.state === 'required' && signIn.reason && signIn.reason !== signIn.lastError ? (
        <Text size="sm" mt="xs">
          {signIn.reason}
        </Text>
      ) : null}
      {signIn.lastError && !waiting ? (
        <Alert mt="sm" color="red" title="The last sign-in failed">
          {signIn.lastError}
        </Alert>
      ) : null}
      {signIn.state === 'signed-out' && !signIn.lastError ? (
        <Text size="sm" mt="xs" c="dimmed">
          Sign in if this server asks for it (OAuth). Gatehouse keeps the tokens fresh for every AI client.
        </Text>
      ) : null}
    </Card>
  );
}

export function ServerPage({ name }: { name: string }) {
  const [, navigate] = useLocation();
  const server = useApiQuery('servers.get', { name });
  const enable = useApiAction('servers.enable');
  const disable = useApiAction('servers.disable');
  const restart = useApiAction('servers.restart', { success: (o) => `${o.server.name}: ${o.server.state}` });
  const remove = useApiAction('servers.remove', { success: (o) => `${o.removed} removed` });
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const wants = useApiQuery('auth.status', { name }).data?.signIns[0]?.wants;

  if (server.error) {
    return (
      <Stack>
        <Title order={1}>{name}</Title>
        <Alert color="red">{errorText(server.error)}</Alert>
        <Anchor component={Link} href="/servers">
          Back to servers
        </Anchor>
      </Stack>
    );
  }
  const info = server.data?.server;
  const fix = info ? fixFor(info, wants) : undefined;
  return (
    <Stack>
      <Group justify="space-between">
        <Group>
          <Title order={1}>{name}</Title>
          {info ? (
            <>
              <StateBadge state={info.state} wants={wants} />
              <TrustBadge trust={info.trust} />
              <Badge variant="outline" color="gray">
                {info.transport}
              </Badge>
            </>
          ) : null}
        </Group>
        {info ? (
          <Group gap="xs">
            {info.enabled ? (
              <Button variant="default" onClick={() => disable.mutate({ name })} loading={disable.isPending}>
                Disable
              </Button>
            ) : (
              <Button variant="default" onClick={() => enable.mutate({ name })} loading={enable.isPending}>
                Enable
              </Button>
            )}
            <Button variant="default" onClick={() => restart.mutate({ name })} loading={restart.isPending} disabled={!info.enabled}>
              Restart
            </Button>
            <Button variant="default" onClick={() => setEditing(true)}>
              Edit
            </Button>
            <Button color="red" variant="light" onClick={() => setRemoving(true)}>
              Remove
            </Button>
          </Group>
        ) : null}
      </Group>
      {info ? (
        <Card withBorder>
          <Text size="sm" fw={500}>
            Runs
          </Text>
          <Text className="gh-mono">{info.target}</Text>
          {server.data?.config.cwd ? (
            <Text size="sm">
              in <span className="gh-mono">{server.data.config.cwd}</span>
            </Text>
          ) : null}
          <Text size="sm" mt="xs">
            {counted(info.toolCount, 'tool')}
            {info.attention ? (
              <>
                {' · '}
                <Anchor component={Link} href={`/review/${encodeURIComponent(name)}`}>
                  {info.attention} waiting for your review
                </Anchor>
              </>
            ) : null}
          </Text>
          {info.reason || fix ? (
            <Alert mt="sm" color={info.state === 'error' ? 'red' : info.trust === 'quarantined' || info.state === 'needs-secret' || info.state === 'needs-sign-in' ? 'yellow' : 'blue'} title={info.reason ?? 'What to do'}>
              {fix}
            </Alert>
          ) : null}
        </Card>
      ) : null}
      {info && info.transport !== 'stdio' ? <SignInCard name={name} /> : null}
      {server.data ? <NetworkCard name={name} entry={server.data.config as ServerConfig} /> : null}
      <ServerLog name={name} />
      {server.data ? <EditServer name={name} config={server.data.config} opened={editing} onClose={() => setEditing(false)} /> : null}
      <Modal opened={removing} onClose={() => setRemoving(false)} title={`Remove ${name}?`}>
        <Text size="sm">It is stopped, taken out of config.json, and every decision about it is forgotten.</Text>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setRemoving(false)}>
            Keep it
          </Button>
          <Button color="red" loading={remove.isPending} onClick={() => remove.mutate({ name }, { onSuccess: () => navigate('/servers') })}>
            Remove
          </Button>
        </Group>
      </Modal>
    </Stack>
  );
}
