// The image each runtime's command servers run in when their entry names none, and a button that names it
// by its digest; asks first when that sends approved servers back to review.
import { Button, Card, List, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { MethodOutput } from '../../../src-shared/api/index.js';
import { errorText, useApiAction, useApiQuery } from '../../api/context.js';
import { DialogActions } from '../../components/DialogActions.js';
import { TableHead } from '../../components/TableHead.js';

type Row = MethodOutput<'settings.images'>['images'][number];

export function ImagesCard() {
  const rows = useApiQuery('settings.images', {});
  const queries = useQueryClient();
  const pin = useApiAction('settings.pinImages', { success: (out) => out.images.map((i) => `The ${i.runtime} image is pinned: ${i.image}`).join('; ') });
  const [asking, setAsking] = useState<Row>();
  const pinNow = (row: Row) =>
    pin.mutate(
      { runtimes: [row.runtime] },
      {
        onSuccess: () => {
          setAsking(undefined);
          void queries.invalidateQueries();
        },
      },
    );
  return (
    <Card withBorder>
      <Stack>
        <Title order={2} size="h4">
          Images for command servers
        </Title>
        <Text size="sm">
          What a server&apos;s container runs when its entry names no image. A tag can be pointed at another image by its publisher at any time; pinning names
          the image it points at now by its digest, for every server that runs in it.
        </Text>
        {rows.error ? <Text c="red">{errorText(rows.error)}</Text> : null}
        {rows.data ? (
          <Table aria-label="Images for command servers" verticalSpacing="xs">
            <TableHead columns={['Runtime', 'Image', 'Servers', '']} />
            <Table.Tbody>
              {rows.data.images.map((row) => (
                <Table.Tr key={row.runtime} data-testid={`image-${row.runtime}`}>
                  <Table.Td>{row.runtime}</Table.Td>
                  <Table.Td>
                    <Text size="sm" className="gh-mono" style={{ wordBreak: 'break-all' }}>
                      {row.image}
                    </Text>
                    {row.namedBy === 'default' ? (
                      <Text size="xs" c="dimmed">
                        Gatehouse&apos;s default
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td>
                    {row.servers.join(', ') || (row.relays.length ? null : '—')}
                    {row.relays.length ? (
                      <Text size="xs" c="dimmed">
                        The relay of {row.relays.join(', ')} (allowed some hosts)
                      </Text>
                    ) : null}
                  </Table.Td>
                  <Table.Td style={{ whiteSpace: 'nowrap' }}>
                    {row.pinned ? (
                      <Text size="sm" fw={500}>
                        Pinned
                      </Text>
                    ) : (
                      <Button
                        size="compact-xs"
                        variant="light"
                        aria-label={`Pin the ${row.runtime} image`}
                        loading={pin.isPending && pin.variables?.runtimes?.[0] === row.runtime && !asking}
                        onClick={() => (row.sentBack.length ? setAsking(row) : pinNow(row))}
                      >
                        Pin
                      </Button>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}
      </Stack>
      <Modal opened={!!asking} onClose={() => setAsking(undefined)} title={`Pin the ${asking?.runtime ?? ''} image?`}>
        <Text size="sm">The image these approved servers run changes, so they go back to review: agents lose their tools until you approve them again.</Text>
        <List size="sm" mt="xs">
          {asking?.sentBack.map((s) => (
            <List.Item key={s.name}>
              <b>{s.name}</b>
            </List.Item>
          ))}
        </List>
        <DialogActions onCancel={() => setAsking(undefined)} mt="md">
          <Button loading={pin.isPending} onClick={() => asking && pinNow(asking)}>
            Pin it
          </Button>
        </DialogActions>
      </Modal>
    </Card>
  );
}
