// Checking definitions before a server is added: paste a saved tools/list answer or open a file, and see
// what the scanner finds in each definition, marked in place as a review shows it. Nothing is added or run.
import { Alert, Badge, Button, Card, FileButton, Group, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMemo, useState } from 'react';
import type { MethodOutput } from '../../../src-shared/api/index.js';
import { definitionsCounted } from '../../../src-shared/trust.js';
import { errorText, useApiAction } from '../../api/context.js';
import { DefinitionView } from '../../components/DefinitionView.js';
import { FindingsAlert } from '../../components/Findings.js';

type Scanned = MethodOutput<'scanner.scan'>;

/** The most the admin API takes in one request; a larger file is for `gatehouse scan`. */
const MOST_CHARS = 1_000_000;
/** Definitions drawn at a time: a file may hold thousands. */
const SHOWN_AT_A_TIME = 50;

const KIND_LABEL = { tool: 'tool', prompt: 'prompt', template: 'resource template', resource: 'resource' } as const;

function summary(result: Scanned): string {
  return `${definitionsCounted(result.items)}: ${result.flagged ? `${result.flagged} flagged by the scanner` : 'none flagged by the scanner'}`;
}

function ScanResult({ result }: { result: Scanned }) {
  const [limit, setLimit] = useState(SHOWN_AT_A_TIME);
  // Flagged ones first, then those with low findings; the rest have nothing to show.
  const shown = useMemo(() => [...result.items.filter((i) => i.flagged), ...result.items.filter((i) => !i.flagged && i.findings.length)], [result]);
  return (
    <Stack gap="sm">
      <Text role="status" fw={600}>
        {summary(result)}
      </Text>
      {shown.slice(0, limit).map((item, i) => (
        <Card withBorder key={i} component="section" aria-label={`Scanned ${KIND_LABEL[item.kind]} ${item.name}`}>
          <Group gap="xs" mb="xs">
            <Title order={3} size="h5" className="gh-mono">
              {item.name}
            </Title>
            {item.kind !== 'tool' ? <Badge variant="default">{KIND_LABEL[item.kind]}</Badge> : null}
            {item.server ? <Badge variant="light">{item.server}</Badge> : null}
            {item.flagged ? (
              <Badge color="red" variant="filled">
                flagged
              </Badge>
            ) : (
              <Badge color="gray" variant="light">
                low findings only
              </Badge>
            )}
          </Group>
          <FindingsAlert findings={item.findings} />
          <DefinitionView definition={item.definition} findings={item.findings} label={`Definition of ${item.name}`} />
        </Card>
      ))}
      {shown.length > limit ? (
        <Button variant="default" onClick={() => setLimit((n) => n + SHOWN_AT_A_TIME)}>
          Show {Math.min(SHOWN_AT_A_TIME, shown.length - limit)} more ({shown.length - limit} not shown)
        </Button>
      ) : null}
    </Stack>
  );
}

export function ScanDefinitions() {
  const [text, setText] = useState('');
  const [fileProblem, setFileProblem] = useState<string>();
  const scan = useApiAction('scanner.scan', { quiet: true });
  const open = async (file: File | null) => {
    if (!file) return;
    scan.reset();
    if (file.size > MOST_CHARS) {
      setFileProblem(`${file.name} is larger than 1 MB: scan it with \`gatehouse scan ${file.name}\`.`);
      return;
    }
    setFileProblem(undefined);
    setText(await file.text());
  };
  return (
    <Card withBorder component="section" aria-labelledby="scan-definitions">
      <Stack gap="sm">
        <Title order={2} size="h4" id="scan-definitions">
          Check definitions before adding a server
        </Title>
        <Text size="sm" c="dimmed">
          Paste a server's tools/list answer, a tool definition, or JSON Lines of them, or open a file. The scanner reads them as a review would; nothing is added or started.
        </Text>
        <Textarea
          label="Definitions"
          autosize
          minRows={4}
          maxRows={14}
          classNames={{ input: 'gh-mono' }}
          value={text}
          onChange={(e) => {
            setText(e.currentTarget.value);
            setFileProblem(undefined);
          }}
          error={text.length > MOST_CHARS ? `${text.length.toLocaleString('en')} characters: at most 1,000,000 here; scan a larger file with \`gatehouse scan <file>\`` : undefined}
        />
        <Group>
          <Button onClick={() => scan.mutate({ text })} loading={scan.isPending} disabled={!text.trim() || text.length > MOST_CHARS}>
            Scan
          </Button>
          <FileButton onChange={(f) => void open(f)} accept="application/json,.json,.jsonl,.txt">
            {(props) => (
              <Button variant="default" {...props}>
                Open a file…
              </Button>
            )}
          </FileButton>
        </Group>
        {fileProblem ? <Alert color="red">{fileProblem}</Alert> : null}
        {scan.error ? (
          <Alert color="red" title="Could not scan that">
            {errorText(scan.error)}
          </Alert>
        ) : null}
        {scan.data ? <ScanResult key={scan.submittedAt} result={scan.data} /> : null}
      </Stack>
    </Card>
  );
}
