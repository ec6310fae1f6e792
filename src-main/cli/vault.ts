// `gatehouse vault …`: both sides of a remote vault. On the vault: keygen --vault, authorize, serve, route
// templates. On this machine: keygen, fingerprint, and the entry that adds the vault as a server.
import { existsSync } from 'node:fs';
import path from 'node:path';
import {
  fingerprint,
  generateKeys,
  homePaths,
  KeychainSecretStore,
  loadKeys,
  loadVaultConfig,
  resolveHome,
  ROUTE_TEMPLATES,
  saveKeys,
  saveVaultConfig,
  vaultHome,
  vaultPaths,
  VaultServer,
  type PublicKeys,
} from '../core/index.js';
import { CliError, note, print, printJson } from './output.js';

type Side = { vault?: boolean; json?: boolean };

function keyDir(side: Side): string {
  return side.vault ? vaultPaths(vaultHome()).keys : homePaths(resolveHome()).vaultKeys;
}

function show(keys: PublicKeys, json?: boolean): void {
  if (json) return printJson({ ...keys, fingerprint: fingerprint(keys) });
  print(`fingerprint ${fingerprint(keys)}\nsign        ${keys.sign}\nagree       ${keys.agree}`);
}

export async function keygen(side: Side): Promise<void> {
  const dir = keyDir(side);
  if (existsSync(path.join(dir, 'sign.pem'))) throw new CliError(`${dir} already holds a key: every party that trusts it would be cut off if it were replaced. Move it away first to make a new one.`);
  const keys = generateKeys();
  await saveKeys(dir, keys);
  if (!side.json) note(`Made a key pair in ${dir} (private keys readable by you alone).`);
  show(keys.public, side.json);
}

export async function showFingerprint(side: Side): Promise<void> {
  show((await loadKeys(keyDir(side))).public, side.json);
}

const CLIENT_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export async function authorize(name: string, sign: string, agree: string, options: { json?: boolean }): Promise<void> {
  if (!CLIENT_NAME.test(name)) throw new CliError(`"${name}" is not a valid client name: 1-64 letters, digits, "_", "-" or ".", starting with a letter or digit`);
  const file = vaultPaths(vaultHome()).config;
  const config = await loadVaultConfig(file);
  for (const [what, key] of [['sign', sign], ['agree', agree]]) {
    if (Buffer.from(key, 'base64url').length !== 32) throw new CliError(`the ${what} key is 32 bytes in base64url: copy it from \`gatehouse vault fingerprint\` on that machine`);
  }
  config.clients[name] = { sign, agree };
  await saveVaultConfig(file, config);
  if (options.json) return printJson({ authorized: name, fingerprint: fingerprint({ sign, agree }) });
  print(`Authorized "${name}" (fingerprint ${fingerprint({ sign, agree })}). A running vault picks this up at once.`);
}

export async function addRoute(template: string, options: { json?: boolean }): Promise<void> {
  const route = Object.hasOwn(ROUTE_TEMPLATES, template) ? ROUTE_TEMPLATES[template] : undefined;
  if (!route) throw new CliError(`no template "${template}": there are ${Object.keys(ROUTE_TEMPLATES).join(', ')}`);
  const file = vaultPaths(vaultHome()).config;
  const config = await loadVaultConfig(file);
  config.routes = [...config.routes.filter((r) => r.name !== route.name), route];
  await saveVaultConfig(file, config);
  if (options.json) return printJson(route);
  print(`Added route "${route.name}" (${route.allowedEndpoints.join(', ')}). It needs ${Object.keys(route.secrets).join(', ')} in the vault's environment (or change "secrets" in ${file}).`);
}

export async function serveVault(options: { port?: number }): Promise<void> {
  const paths = vaultPaths(vaultHome());
  let config = await loadVaultConfig(paths.config);
  if (options.port !== undefined) config = { ...config, port: options.port };
  const keys = await loadKeys(paths.keys).catch(() => {
    throw new CliError(`the vault has no key yet: run \`gatehouse vault keygen --vault\` (home ${paths.home})`);
  });
  const keychain = new KeychainSecretStore('Gatehouse vault');
  let current = config;
  const server = new VaultServer({ config: () => current, keys, keychain: (name) => keychain.get(name), env: process.env, auditFile: paths.audit });
  // Clients authorized and routes added while it runs apply at once.
  const reload = setInterval(() => {
    void loadVaultConfig(paths.config)
      .then((next) => (current = options.port !== undefined ? { ...next, port: options.port } : next))
      .catch((err: Error) => note(err.message));
  }, 1000);
  const { url } = await server.listen();
  print(`Vault listening at ${url}\nfingerprint ${fingerprint(keys.public)}\n${current.routes.length} routes, ${Object.keys(current.clients).length} clients; audit log ${paths.audit}`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(reload);
  await server.close();
  process.exit(0);
}

export async function setup(options: { vault?: string; sign?: string; agree?: string }): Promise<void> {
  const local = await loadKeys(homePaths(resolveHome()).vaultKeys).catch(() => undefined);
  const steps = [
    'On the vault machine:',
    '  1. gatehouse vault keygen --vault',
    `  2. gatehouse vault route --template github   (or ${Object.keys(ROUTE_TEMPLATES).join(', ')}; set the secrets it names in the vault's environment)`,
    local
      ? `  3. gatehouse vault authorize my-laptop -- ${local.public.sign} ${local.public.agree}\n     (this machine's fingerprint: ${fingerprint(local.public)})`
      : '  3. gatehouse vault authorize <name> -- <sign> <agree>   (this machine has no key yet: run `gatehouse vault keygen` here first)',
    '  4. gatehouse vault serve',
    'On this machine, add the vault as a server (config.json, or `gatehouse servers add vault --config \'…\'`), then approve it:',
    JSON.stringify({ vault: { type: 'vault', url: options.vault ?? 'http://<vault host>:7443', vault: { sign: options.sign ?? '<vault sign key>', agree: options.agree ?? '<vault agree key>' } } }, null, 2),
    'Compare the vault fingerprint `gatehouse vault fingerprint --vault` prints there with the one the server entry names.',
  ];
  print(steps.join('\n'));
}
