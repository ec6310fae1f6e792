// `gatehouse clients …`: AI clients' config files — which clients are here, connecting them to Gatehouse
// (after a diff, confirmed), disconnecting, undoing, and bringing their servers into Gatehouse.
import { withApi, type ConnectOptions } from './api.js';
import { CliError, confirm, note, print, printJson, table } from './output.js';

type Common = ConnectOptions & { json?: boolean; workspace?: string };

export async function listClients(options: Common): Promise<void> {
  await withApi(options, async (api) => {
    const { clients } = await api.call('clients.list', { workspace: options.workspace });
    if (options.json) return printJson(clients);
    print(
      table(
        clients.map((c) => ({
          client: c.id,
          name: c.name,
          here: c.found ? 'yes' : 'no',
          connected: c.problem ? 'unreadable' : c.connected ? (c.profile ? `yes (${c.profile.join(', ') || 'no servers'})` : 'yes') : 'no',
          servers: c.servers.join(', '),
          file: c.file ?? '',
        })),
        ['client', 'name', 'here', 'connected', 'servers', 'file'],
      ),
    );
    for (const c of clients.filter((c) => c.problem)) note(`${c.name}: ${c.problem}`);
  });
}

async function change(id: string, action: 'connect' | 'disconnect', options: Common & { yes?: boolean }): Promise<void> {
  await withApi(options, async (api) => {
    const { preview } = await api.call('clients.preview', { id, action, workspace: options.workspace });
    if (!preview.diff.includes('@@')) {
      print(action === 'connect' ? `Nothing to change in ${preview.file}.` : `Gatehouse has no entry in ${preview.file}.`);
      if (action === 'connect') return;
    } else {
      note(preview.diff.split('\n').slice(2).join('\n'));
      await confirm(`${action === 'connect' ? 'Write this into' : 'Remove this from'} ${preview.file}?`, options.yes);
    }
    const method = action === 'connect' ? 'clients.connect' : 'clients.disconnect';
    const { client } = await api.call(method, { id, expected: preview.hash, workspace: options.workspace });
    if (options.json) return printJson(client);
    print(
      action === 'connect'
        ? `${client.name} now reaches Gatehouse (${client.transport === 'http' ? 'over HTTP, with a token of its own' : 'through `gatehouse stdio`'}). Restart it to pick this up; \`gatehouse clients undo ${id}\` puts the file back.`
        : `${client.name} no longer reaches Gatehouse; its token is revoked.`,
    );
  });
}

export const connectClient = (id: string, o: Common & { yes?: boolean }) => change(id, 'connect', o);
export const disconnectClient = (id: string, o: Common & { yes?: boolean }) => change(id, 'disconnect', o);

export async function undoClient(id: string, options: Common): Promise<void> {
  await withApi(options, async (api) => {
    const { client } = await api.call('clients.undo', { id, workspace: options.workspace });
    if (options.json) return printJson(client);
    print(`${client.file} is back as it was before Gatehouse changed it.`);
  });
}

export async function profileClient(id: string, options: Common & { server?: string[]; all?: boolean }): Promise<void> {
  if (!options.all && !options.server?.length) throw new CliError('say which servers it may use (--server a --server b), or --all');
  await withApi(options, async (api) => {
    const { client } = await api.call('clients.profile', { id, servers: options.all ? null : options.server!, workspace: options.workspace });
    if (options.json) return printJson(client);
    print(client.profile ? `${client.name} may use: ${client.profile.join(', ')}.` : `${client.name} may use every server.`);
  });
}

export async function importClient(id: string, options: Common & { server?: string[]; remove?: boolean }): Promise<void> {
  await withApi(options, async (api) => {
    const result = await api.call('clients.import', { id, names: options.server, removeFromClient: options.remove ?? false, workspace: options.workspace });
    if (options.json) return printJson(result);
    for (const i of result.imported) print(`Imported "${i.name}"${i.as !== i.name ? ` as "${i.as}"` : ''}: quarantined until you review it (gatehouse servers review ${i.as}).`);
    for (const s of result.secrets) print(`Moved a secret out of its file into the secret store: ${s}`);
    for (const r of result.removedFromClient) print(`Removed "${r}" from the client: it works through Gatehouse.`);
    for (const s of result.skipped) note(`Skipped "${s.name}": ${s.reason}`);
    if (!result.imported.length && !result.removedFromClient.length) print('Nothing imported.');
  });
}
