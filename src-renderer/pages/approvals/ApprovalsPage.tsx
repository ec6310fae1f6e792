// Agents' calls waiting for a person's yes or no, live, with their arguments and the time left. The
// arguments' invisible and direction-changing characters are shown as code points: what a person allows is
// what they read.
import { Alert, Button, Card, Code, Group, ScrollArea, Stack, Text, Title } from '@mantine/core';
import { useEffect, useState } from 'react';
import { errorText, useApiAction, useApiQuery } from '../../api/context.js';
import { VisibleText } from '../../components/VisibleText.js';

function useNow(): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  return now;
}

/** The arguments laid out one key to a line when they are whole JSON (a cut one is shown as it came). */
function readable(args: string): string {
  try {
    return JSON.stringify(JSON.parse(args), null, 2);
  } catch {
    return args;
  }
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
          <Group justify="space-between" mb="xs" wrap="nowrap" align="flex-start">
            <div>
              <Text fw={600} className="gh-mono">
                {r.server}__{r.tool}
              </Text>
              <Text size="sm" c="dimmed">
                {r.client ? (
                  <>
                    Asked by <VisibleText text={r.client} />
                  </>
                ) : (
                  'Asked by an agent that did not say its name'
                )}
              </Text>
            </div>
            <Text size="sm" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              {Math.max(0, Math.round((r.expiresAt - now) / 1000))} s left
            </Text>
          </Group>
          <ScrollArea.Autosize mah={360} type="auto" viewportProps={{ tabIndex: 0, 'aria-label': `Arguments of the call to ${r.server}__${r.tool}` }}>
            <Code block style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
              <VisibleText text={readable(r.arguments)} />
            </Code>
          </ScrollArea.Autosize>
          {r.arguments.length > 2000 ? (
            <Text size="sm" c="dimmed" mt={4}>
              {r.arguments.length.toLocaleString('en')} characters: scroll to read them all before you answer.
            </Text>
          ) : null}
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
