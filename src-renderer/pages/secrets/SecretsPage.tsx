// Secrets: their names and the servers that use them; a value is typed in, never shown back.
import { TableHead } from '../../components/TableHead.js';
import { Alert, Badge, Button, Card, Group, Modal, PasswordInput, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useState } from 'react';
import { errorText, useApiAction, useApiQuery } from '../../api/context.js';
import { secretPlaceholder } from '../../../src-shared/config/placeholders.js';

function SetSecret({ name, opened, onClose }: { name?: string; opened: boolean; onClose: () => void }) {
  const [secretName, setName] = useState('');
  const [value, setValue] = useState('');
  const set = useApiAction('secrets.set', { success: (o) => `${o.name} saved` });
  const close = () => {
    setValue('');
    setName('');
    onClose();
  };
  return (
    <Modal opened={opened} onClose={close} title={name ? `Set ${name}` : 'Add a secret'}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          set.mutate({ name: name ?? secretName.trim(), value }, { onSuccess: close });
        }}
      >
        <Stack>
          {name ? null : <TextInput label="Name" description={`Servers refer to it as ${secretPlaceholder('NAME')}`} required value={secretName} onChange={(e) => setName(e.currentTarget.value)} />}
          <PasswordInput label="Value" description="Kept in the secret store; never shown here again" required value={value} onChange={(e) => setValue(e.currentTarget.value)} autoComplete="off" />
          <Group justify="flex-end">
            <Button type="submit" loading={set.isPending}>
              Save
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}

export function SecretsPage() {
  const secrets = useApiQuery('secrets.list', {});
  const remove = useApiAction('secrets.delete', { success: (o) => `${o.name} deleted` });
  const [editing, setEditing] = useState<{ name?: string } | undefined>();
  const [deleting, setDeleting] = useState<string>();
  return (
    <Stack>
      <Group justify="space-between">
        <Title order={1}>Secrets</Title>
        <Button onClick={() => setEditing({})}>Add a secret</Button>
      </Group>
      {secrets.data ? (
        <Text size="sm" c="dimmed">
          Stored in: {secrets.data.store}
        </Text>
      ) : null}
      {secrets.error ? <Alert color="red">{errorText(secrets.error)}</Alert> : null}
      {secrets.data && !secrets.data.secrets.length ? <Alert color="gray">No secrets yet, and no server asks for one.</Alert> : null}
      {secrets.data?.secrets.length ? (
        <Card withBorder p={0}>
          <Table aria-label="Secrets" verticalSpacing="sm">
            <TableHead columns={['Name', 'In a server\'s entry', 'Used by', 'State', '']} />
            <Table.Tbody>
              {secrets.data.secrets.map((s) => (
                <Table.Tr key={s.name}>
                  <Table.Td className="gh-mono">{s.name}</Table.Td>
                  <Table.Td className="gh-mono">{secretPlaceholder(s.name)}</Table.Td>
                  <Table.Td>{s.usedBy.join(', ') || '—'}</Table.Td>
                  <Table.Td>{s.set ? <Badge color="teal" variant="light">set</Badge> : <Badge color="orange" variant="light">missing</Badge>}</Table.Td>
                  <Table.Td>
                    <Group gap="xs" justify="flex-end">
                      <Button size="xs" variant="default" onClick={() => setEditing({ name: s.name })} aria-label={`Set ${s.name}`}>
                        Set
                      </Button>
                      {s.set ? (
                        <Button size="xs" color="red" variant="light" onClick={() => setDeleting(s.name)} aria-label={`Delete ${s.name}`}>
                          Delete
                        </Button>
                      ) : null}
                    </Group>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      ) : null}
      <SetSecret name={editing?.name} opened={editing !== undefined} onClose={() => setEditing(undefined)} />
      <Modal opened={deleting !== undefined} onClose={() => setDeleting(undefined)} title={`Delete ${deleting}?`}>
        <Text size="sm">Servers that use it will wait for it again.</Text>
        <Group justify="flex-end" mt="md">
          <Button variant="default" onClick={() => setDeleting(undefined)}>
            Keep it
          </Button>
          <Button color="red" onClick={() => deleting && remove.mutate({ name: deleting }, { onSuccess: () => setDeleting(undefined) })}>
            Delete
          </Button>
        </Group>
      </Modal>
    </Stack>
  );
}
