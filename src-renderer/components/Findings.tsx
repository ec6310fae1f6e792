// The scanner's findings on one definition: severity, where, and why in words.
import { Alert, Badge, Stack, Text } from '@mantine/core';

interface Finding {
  severity: 'low' | 'medium' | 'high';
  field: string;
  message: string;
}

export function FindingsAlert({ findings }: { findings: readonly Finding[] }) {
  if (!findings.length) return null;
  return (
    <Alert color="red" variant="light" mb="xs" title="The scanner's findings">
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
          </Text>
        ))}
      </Stack>
    </Alert>
  );
}
