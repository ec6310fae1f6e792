// Agents' calls waiting for a person's yes or no, live, with their arguments and the time left.
import { Alert, Button, Card, Code, Group, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { errorText, useApiAction, useApiQuery } from '../../api/context.js';

function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

export function ApprovalsPage() {
  const requests = useApiQuery('approvals.list', {});
  const answer = useApiAction('approvals.answer', { success: (o) => (o.allowed ? 'Allowed' : 'Denied') });
  const now = useNow();
  const list = requests.data?.requests ?? [];
  return (
    <Stack>
      <Title order={1}>Approvals</Title>
      <Text size="sm" c="dimmed">
        Calls to tools whose rule is “ask” wait here. One not answered in time counts as no.
      </Text>
      {requests.error ? <Alert color="red">{errorText(requests.error)}</Alert> : null}
      {requests.data && !list.length ? <Alert color="gray">No call is waiting.</Alert> : null}
      {list.map((r) => (
        <Card withBorder key={r.id} component="section" aria-label={`Call to ${r.server}__${r.tool}`}>
          <Group justify="space-between" mb="xs">
            <Text fw={600} className="gh-mono">
              {r.server}__{r.tool}
            </Text>
            <Text size="sm" c="dimmed">
              {Math.max(0, Math.round((r.expiresAt - now) / 1000))} s left
            </Text>
          </Group>
          <Code block>{r.arguments}</Code>
          <Group justify="flex-end" mt="sm">
            <Button color="red" variant="light" onClick={() => answer.mutate({ id: r.id, allow: false })}>
              Deny
            </Button>
            <Button color="teal" onClick={() => answer.mutate({ id: r.id, allow: true })}>
              Allow
            </Button>
          </Group>
        </Card>
      ))}
    </Stack>
  );
}
