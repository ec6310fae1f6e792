// The scanner's findings on one definition: severity, where, why in words, and the words themselves (the
// scanner shows invisible characters in them as code points).
import { Alert, Badge, Stack, Text } from '@mantine/core';
import { flaggedItem } from '../../src-shared/trust.js';

interface Finding {
  severity: 'low' | 'medium' | 'high';
  field: string;
  message: string;
  excerpt?: string;
}

/** A finding's words are shown up to this length: a sentence of a hostile definition can be megabytes. */
const EXCERPT_SHOWN = 300;

const quoted = (excerpt: string) => `“${excerpt.length > EXCERPT_SHOWN ? `${excerpt.slice(0, EXCERPT_SHOWN)}…` : excerpt}”`;

export function FindingsAlert({ findings }: { findings: readonly Finding[] }) {
  if (!findings.length) return null;
  // Low findings alone do not flag a definition: a pattern's words the classifier reads as ordinary.
  const flagged = flaggedItem({ findings });
  return (
    <Alert color={flagged ? 'red' : 'gray'} variant="light" mb="xs" title={flagged ? "The scanner's findings" : "The scanner's findings (low: they do not flag it)"}>
      <Stack gap={4}>
        {findings.map((f, i) => (
          <Text size="sm" key={i}>
            <Badge size="xs" color={f.severity === 'high' ? 'red' : 'yellow'} mr={6}>
              {f.severity}
            </Badge>
            <Text span fw={600}>
              {f.field}
            </Text>
            : {f.message}
            {f.excerpt ? (
              <Text span fs="italic">
                {' '}
                {quoted(f.excerpt)}
              </Text>
            ) : null}
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}
