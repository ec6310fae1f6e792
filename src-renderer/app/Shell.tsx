// The frame around every page: navigation with what waits for the person, the live connection, the
// theme switch. Pages load on demand; the Tools page (with its form library) only when opened.
import { ActionIcon, Alert, Anchor, AppShell, Badge, Burger, Center, Code, Group, Loader, NavLink, Stack, Text, Title, Tooltip, useComputedColorScheme, useMantineColorScheme } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { lazy, Suspense, type ReactNode } from 'react';
import { Link, Redirect, Route, Router, Switch, useLocation } from 'wouter';
import { useHashLocation } from 'wouter/use-hash-location';
import { errorText, useApiQuery } from '../api/context.js';
import { LiveEvents, useLive } from '../api/live.js';
import { ServersPage } from '../pages/servers/ServersPage.js';
import { ServerPage } from '../pages/servers/ServerPage.js';
import { ReviewPage } from '../pages/review/ReviewPage.js';
import { ApprovalsPage } from '../pages/approvals/ApprovalsPage.js';
import { SecretsPage } from '../pages/secrets/SecretsPage.js';
import { ConnectPage } from '../pages/connect/ConnectPage.js';
import { ClientsPage } from '../pages/clients/ClientsPage.js';
import { VaultPage } from '../pages/vault/VaultPage.js';
import { SettingsPage } from '../pages/settings/SettingsPage.js';
import { ActivityPage } from '../pages/activity/ActivityPage.js';
import { needed } from '../../src-shared/sign-in.js';

const ToolsPage = lazy(() => import('../pages/tools/ToolsPage.js'));

function ThemeSwitch() {
  const { setColorScheme } = useMantineColorScheme();
  const colorScheme = useComputedColorScheme('light');
  const next = colorScheme === 'dark' ? 'light' : 'dark';
  return (
    <Tooltip label={`Switch to ${next} theme`}>
      <ActionIcon variant="default" size="lg" aria-label={`Switch to ${next} theme`} onClick={() => setColorScheme(next)}>
        <span aria-hidden>{colorScheme === 'dark' ? '☀' : '☾'}</span>
      </ActionIcon>
    </Tooltip>
  );
}

function NavItem({ href, label, count }: { href: string; label: string; count?: number }) {
  const [location] = useLocation();
  const active = location === href || location.startsWith(`${href}/`);
  return (
    <NavLink
      component={Link}
      href={href}
      label={label}
      active={active}
      aria-current={active ? 'page' : undefined}
      rightSection={count ? <Badge size="sm" color="red" circle aria-label={`${count} waiting`}>{count}</Badge> : undefined}
    />
  );
}

function SignIn({ message }: { message: string }) {
  return (
    <Center h="100vh" p="md">
      <Stack maw={520}>
        <Title order={1}>Gatehouse</Title>
        <Alert color="yellow" title="Sign in to the window">
          <Text size="sm">{message}</Text>
          <Text size="sm" mt="sm">
            Run <Code>gatehouse ui</Code> in a terminal: it opens this window signed in. The address{' '}
            <Code>gatehouse serve</Code> printed works too, once.
          </Text>
        </Alert>
      </Stack>
    </Center>
  );
}

/** One prompt, on every page, for servers whose calls fail until a person signs in. */
function SignInBanner() {
  const signIns = useApiQuery('auth.status', {});
  const waiting = signIns.data?.signIns.filter((s) => s.state === 'required') ?? [];
  if (!waiting.length) return null;
  return (
    <Alert color="yellow" title={waiting.length === 1 ? `${waiting[0].server} needs ${needed(waiting[0])}` : `${waiting.length} servers need ${waiting.some((s) => s.wants) ? 'a key or a sign-in' : 'you to sign in'}`} mb="md" role="status">
      <Group gap="md">
        {waiting.map((s) => (
          <Anchor key={s.server} component={Link} href={`/servers/${encodeURIComponent(s.server)}`} c="inherit" fw={600}>
            {s.wants ? `Set up ${s.server}` : `Sign in to ${s.server}`}
          </Anchor>
        ))}
      </Group>
      <Text size="sm" mt={4}>
        Agents' calls to {waiting.length === 1 ? 'it' : 'them'} fail until then.
      </Text>
    </Alert>
  );
}

export function Shell() {
  const status = useApiQuery('status.get', {});
  if (status.isPending) {
    return (
      <Center h="100vh">
        <Loader role="status" aria-label="Loading" />
      </Center>
    );
  }
  if (status.error?.code === 'unauthorized') return <SignIn message="This browser is not signed in (or its session ended when Gatehouse restarted)." />;
  return (
    <Router hook={useHashLocation}>
      <LiveEvents>
        <Frame>
          {status.error ? <Alert color="red" title="Gatehouse did not answer" mb="md">{errorText(status.error)}</Alert> : null}
          <SignInBanner />
          <Suspense fallback={<Loader role="status" aria-label="Loading page" />}>
            <Switch>
              <Route path="/servers" component={ServersPage} />
              <Route path="/servers/:name">{(p) => <ServerPage name={decodeURIComponent(p.name)} />}</Route>
              <Route path="/review">{() => <ReviewPage />}</Route>
              <Route path="/review/:name">{(p) => <ReviewPage name={decodeURIComponent(p.name)} />}</Route>
              <Route path="/tools" component={ToolsPage} />
              <Route path="/approvals" component={ApprovalsPage} />
              <Route path="/activity" component={ActivityPage} />
              <Route path="/secrets" component={SecretsPage} />
              <Route path="/clients" component={ClientsPage} />
              <Route path="/vault" component={VaultPage} />
              <Route path="/connect" component={ConnectPage} />
              <Route path="/settings" component={SettingsPage} />
              <Route>
                <Redirect to="/servers" replace />
              </Route>
            </Switch>
          </Suspense>
        </Frame>
      </LiveEvents>
    </Router>
  );
}

function Frame({ children }: { children: ReactNode }) {
  const [opened, { toggle }] = useDisclosure();
  const live = useLive();
  const servers = useApiQuery('servers.list', {});
  const approvals = useApiQuery('approvals.list', {});
  const waiting = (servers.data?.servers ?? []).filter((s) => s.trust === 'quarantined' || s.attention > 0).length;
  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between">
          <Group gap="sm">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Text fw={700} size="lg">
              Gatehouse
            </Text>
          </Group>
          <Group gap="sm">
            <Badge variant="dot" color={live.connected ? 'green' : 'gray'} aria-live="polite">
              {live.connected ? 'Live' : 'Reconnecting…'}
            </Badge>
            <ThemeSwitch />
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Pages">
        <NavItem href="/servers" label="Servers" />
        <NavItem href="/review" label="Review" count={waiting} />
        <NavItem href="/tools" label="Tools" />
        <NavItem href="/approvals" label="Approvals" count={approvals.data?.requests.length} />
        <NavItem href="/activity" label="Activity" />
        <NavItem href="/secrets" label="Secrets" />
        <NavItem href="/vault" label="Vault" />
        <NavItem href="/clients" label="Clients" />
        <NavItem href="/connect" label="Connect" />
        <NavItem href="/settings" label="Settings" />
      </AppShell.Navbar>
      <AppShell.Main>
        {children}
      </AppShell.Main>
    </AppShell>
  );
}
