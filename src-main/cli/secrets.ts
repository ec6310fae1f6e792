// `gatehouse secrets …`: secret values in the keychain (or the store the user opted in to).
import { withApi, type ConnectOptions } from './api.js';
import { CliError, print, printJson, table } from './output.js';

type Common = ConnectOptions & { json?: boolean };

/** Reads a line from the terminal without echoing it. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const stdin = process.stdin;
    process.stderr.write(question);
    stdin.setRawMode(true);
    stdin.resume();
    stdin.setEncoding('utf8');
    let value = '';
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003') return done(new CliError('cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export async function setSecret(name: string, options: Common & { fromEnv?: string }): Promise<void> {
  let value: string;
  if (options.fromEnv) {
    const fromEnv = process.env[options.fromEnv];
    if (!fromEnv) throw new CliError(`environment variable ${options.fromEnv} is not set`);
    value = fromEnv;
  } else if (process.stdin.isTTY) {
    value = await promptHidden(`Value for ${name} (not shown): `);
  } else {
    value = await readStdin();
  }
  if (!value) throw new CliError('no value given: type it at the prompt, pipe it on stdin, or use --from-env VAR');
  await withApi(options, async (api) => {
    await api.call('secrets.set', { name, value });
    if (options.json) return printJson({ set: name });
    print(`Secret "${name}" saved.`);
  });
}

export async function getSecret(name: string, options: Common): Promise<void> {
  await withApi(options, async (api) => {
    const { value } = await api.call('secrets.reveal', { name });
    if (options.json) return printJson({ name, value });
    print(value);
  });
}

export async function listSecrets(options: Common): Promise<void> {
  await withApi(options, async (api) => {
    const { store, secrets } = await api.call('secrets.list', {});
    if (options.json) return printJson({ store, secrets });
    if (!secrets.length) return print(`No secrets (stored in ${store}).`);
    print(table(secrets.map((s) => ({ name: s.name, set: s.set ? 'yes' : 'NO', 'used by': s.usedBy.join(', ') })), ['name', 'set', 'used by']));
  });
}

export async function deleteSecret(name: string, options: Common): Promise<void> {
  await withApi(options, async (api) => {
    const { deleted } = await api.call('secrets.delete', { name });
    if (options.json) return printJson({ name, deleted });
    print(deleted ? `Secret "${name}" deleted.` : `There was no secret "${name}".`);
  });
}
