// Tools: the search an agent's `search_tools` runs, a tool's whole definition, and a call made with a form
// generated from its input schema, the raw result beside it.
import { Alert, Badge, Button, Card, Code, Grid, Group, Loader, ScrollArea, Stack, Text, TextInput, Title, UnstyledButton } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import Form from '@rjsf/mantine';
import type { RJSFSchema } from '@rjsf/utils';
import { useState } from 'react';
import type { MethodOutput } from '../../../src-shared/api/index.js';
import { errorText, useApiAction, useApiQuery } from '../../api/context.js';
import { DefinitionView } from '../../components/DefinitionView.js';
import { VisibleText } from '../../components/VisibleText.js';
import { validator } from './validator.js';

type Result = MethodOutput<'tools.call'>;

function TryTool({ id }: { id: string }) {
  const tool = useApiQuery('tools.get', { id });
  const [args, setArgs] = useState<Record<string, unknown>>({});
  const [result, setResult] = useState<Result>();
  const call = useApiAction('tools.call', { quiet: true });
  const stats = useApiQuery('activity.stats', { server: id.split('__')[0] });
  if (tool.isPending) return <Loader size="sm" aria-label="Loading the tool" />;
  if (tool.error) return <Alert color="red">{errorText(tool.error)}</Alert>;
  const t = tool.data.tool;
  const schema = { type: 'object', ...t.inputSchema } as RJSFSchema;
  return (
    <Stack>
      <Group>
        <Title order={2} size="h3" className="gh-mono">
          {t.id}
        </Title>
        {t.annotations?.readOnlyHint ? <Badge variant="light">read-only</Badge> : null}
        {t.annotations?.destructiveHint ? <Badge color="red" variant="light">destructive</Badge> : null}
      </Group>
      {t.description ? (
        <Text size="sm">
          <VisibleText text={t.description} />
        </Text>
      ) : null}
      <ToolStatsLine stats={stats.data?.tools.find((s) => `${s.server}__${s.tool}` === t.id)} />
      <Grid>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Card withBorder>
            <Title order={3} size="h5" mb="xs">
              Try it
            </Title>
            <Form
              schema={schema}
              validator={validator}
              formData={args}
              onChange={(e) => setArgs((e.formData ?? {}) as Record<string, unknown>)}
              onSubmit={(e) => call.mutate({ id: t.id, arguments: (e.formData ?? {}) as Record<string, unknown> }, { onSuccess: setResult, onError: (err) => setResult({ result: { content: [{ type: 'text', text: errorText(err) }], isError: true } }) })}
              showErrorList={false}
              idPrefix={`call-${t.name}`}
            >
              <Button type="submit" loading={call.isPending} mt="sm">
                Call {t.name}
              </Button>
            </Form>
          </Card>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 6 }}>
          <Card withBorder>
            <Title order={3} size="h5" mb="xs">
              Result {result?.result.isError ? <Badge color="red">error</Badge> : null}
            </Title>
            <pre className="gh-mono gh-log" aria-label="Raw result" aria-live="polite" tabIndex={0} data-testid="call-result">
              {result ? <VisibleText text={JSON.stringify(result.result, null, 2)} /> : 'Call the tool to see what it returns.'}
            </pre>
          </Card>
        </Grid.Col>
      </Grid>
      <Title order={3} size="h5">
        Definition
      </Title>
      <DefinitionView definition={{ name: t.name, title: t.title, description: t.description, inputSchema: t.inputSchema, outputSchema: t.outputSchema, annotations: t.annotations }} label={`Definition of ${t.id}`} />
    </Stack>
  );
}

function ToolStatsLine({ stats }: { stats?: MethodOutput<'activity.stats'>['tools'][number] }) {
  if (!stats) return <Text size="xs" c="dimmed">Not called yet.</Text>;
  return (
    <Text size="xs" c="dimmed" data-testid="tool-stats">
      {stats.calls} call(s), {stats.errors} error(s) · p50 {Math.round(stats.p50Ms)} ms · p99 {Math.round(stats.p99Ms)} ms · last {new Date(stats.lastAt).toLocaleString()}
    </Text>
  );
}

/** Rows listed at first: a catalog can hold thousands of tools. */
const LISTED_AT_FIRST = 200;
/** Of a description, the list shows two lines: no more than this is handed to the page. */
const LISTED_CHARS = 300;

export default function ToolsPage() {
  const [query, setQuery] = useState('');
  const [listed, setListed] = useState(LISTED_AT_FIRST);
  const [debounced] = useDebouncedValue(query.trim(), 200);
  const [picked, setPicked] = useState<string>();
  const search = useApiQuery('tools.search', { query: debounced, limit: 10 }, { enabled: debounced.length > 0 });
  const all = useApiQuery('tools.list', {}, { enabled: debounced.length === 0 });
  const rows = debounced
    ? (search.data?.results ?? []).map((r) => ({ id: r.id, description: r.description, params: r.params, score: r.score as number | undefined }))
    : (all.data?.tools ?? []).map((t) => ({ id: t.id, description: t.description ?? t.title ?? '', params: '', score: undefined as number | undefined }));
  return (
    <Stack>
      <Title order={1}>Tools</Title>
      <Grid>
        <Grid.Col span={{ base: 12, md: 4 }}>
          <Stack gap="xs">
            <TextInput label="Search tools" description="What an agent's search_tools returns for the same words" placeholder="e.g. add two numbers" value={query} onChange={(e) => setQuery(e.currentTarget.value)} />
            {search.isFetching || all.isFetching ? <Loader size="xs" aria-label="Searching" /> : null}
            <ScrollArea.Autosize mah="70vh">
              <Stack gap={4} component="ul" aria-label={debounced ? 'Search results' : 'All tools'} style={{ listStyle: 'none', padding: 0, margin: 0 }}>
                {rows.slice(0, listed).map((r) => (
                  <li key={r.id}>
                  <UnstyledButton w="100%" onClick={() => setPicked(r.id)} aria-pressed={picked === r.id} data-tool={r.id} p="xs" style={{ borderRadius: 8, background: picked === r.id ? 'var(--mantine-color-default-hover)' : undefined }}>
                    <Text size="sm" fw={600} className="gh-mono">
                      {r.id}
                    </Text>
                    <Text size="xs" c="dimmed" lineClamp={2}>
                      {r.description.slice(0, LISTED_CHARS)}
                    </Text>
                    {r.params ? (
                      <Code fz="xs" display="block">
                        {r.params}
                      </Code>
                    ) : null}
                  </UnstyledButton>
                  </li>
                ))}
                {rows.length > listed ? (
                  <li>
                    <Button variant="default" size="xs" fullWidth onClick={() => setListed((n) => n + LISTED_AT_FIRST)}>
                      Show {Math.min(LISTED_AT_FIRST, rows.length - listed)} more ({rows.length - listed} not shown)
                    </Button>
                  </li>
                ) : null}
                {debounced && search.data && !rows.length ? <Text size="sm">No tool matches.</Text> : null}
              </Stack>
            </ScrollArea.Autosize>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 8 }}>{picked ? <TryTool key={picked} id={picked} /> : <Text c="dimmed">Pick a tool to see its definition and try it.</Text>}</Grid.Col>
      </Grid>
    </Stack>
  );
}
