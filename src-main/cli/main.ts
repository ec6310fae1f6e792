#!/usr/bin/env node
// The `gatehouse` command.
import { Command, Option } from 'commander';
import { ApiError } from '../../src-shared/api/index.js';
import { VERSION } from '../../src-shared/version.js';
import { ConfigError } from '../core/index.js';
import { collectList, collectPair, logLevelOption, parseLimit, parsePort, type LogLevel } from './options.js';
import { CliError, EXIT, note } from './output.js';
import { serve, stdio } from './serve.js';
import { addServer, allowedHosts, changeServer, listServers, pin, serverLogs, status } from './servers.js';
import { deleteSecret, getSecret, listSecrets, setSecret } from './secrets.js';
import { callTool, gatewayConnection, listTools, searchTools } from './tools.js';
import { openUi } from './ui.js';
import { authStatus, login, logout } from './auth.js';
import { connectRemote } from './connect.js';
import { addRoute, authorize, keygen, serveVault, setup as vaultSetup, showFingerprint } from './vault.js';
import { connectClient, disconnectClient, importClient, listClients, profileClient, undoClient } from './clients.js';
import { exportActivity, showActivity, verifyActivity } from './activity.js';
import { scanFile } from './scan.js';
import { listImages, pinImages, setSetting, showSettings } from './settings.js';
import { answerApproval, decide, listApprovals, reviewServer, setPolicy, setStrict, showPolicy } from './trust.js';

const program = new Command('gatehouse')
  .description('One local MCP endpoint for all your MCP servers. Files live in $GATEHOUSE_HOME (or the OS app-data folder).')
  .version(VERSION)
  .showHelpAfterError();

let exitCode: number = EXIT.ok;
const json = () => new Option('--json', 'print JSON');

program
  .command('serve')
  .description('run headless: serve the gateway on http://127.0.0.1:<port>/mcp and the admin API on /api')
  .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)', parsePort)
  .option('--read-only', "agents may list servers but not add, change or remove them")
  .option('--disable-management', "hide the gateway's upstream_servers tool")
  .addOption(logLevelOption().default('info'))
  .action((o: { port?: number; logLevel: LogLevel; readOnly?: boolean; disableManagement?: boolean }) => serve(o));

program
  .command('stdio')
  .description('serve the gateway on stdin/stdout, for clients that only spawn processes')
  .option('--read-only', "agents may list servers but not add, change or remove them")
  .option('--disable-management', "hide the gateway's upstream_servers tool")
  .option('--server <name>', "serve one approved server alone, under its own tool, prompt and resource names")
  .addOption(logLevelOption())
  .action((o: { logLevel: LogLevel; readOnly?: boolean; disableManagement?: boolean; server?: string }) => stdio(o));

program
  .command('ui')
  .description('open the window of the running Gatehouse in your browser (a one-time sign-in address)')
  .option('--no-open', 'only print the address')
  .addOption(json())
  .action((o: { open: boolean; json?: boolean }) => openUi(o));

program.command('status').description("Gatehouse's and every server's state").addOption(json()).action((o) => status(o));

program
  .command('connection')
  .description('how an AI client connects: the endpoint and its bearer token')
  .addOption(json())
  .action((o) => gatewayConnection(o));

const servers = program.command('servers').description('list and change configured servers');
servers.command('list').description('every configured server and its state').addOption(json()).action((o) => listServers(o));
servers
  .command('add <name> [command...]')
  .description('add a server: `add <name> -- <command> [args…]` or `add <name> --url <url>`')
  .option('--url <url>', 'a Streamable HTTP (or SSE) server')
  .addOption(new Option('--type <type>', 'transport, when it cannot be told from the rest').choices(['stdio', 'http', 'sse']))
  .option('--env <KEY=VALUE>', 'environment variable for a stdio server (repeatable)', collectPair)
  .option('--header <KEY=VALUE>', 'HTTP header for a remote server (repeatable)', collectPair)
  .option('--cwd <dir>', 'working directory for a stdio server')
  .option('--description <text>', 'what the server is for')
  .option('--config <json>', 'the whole server entry as JSON, as in a Claude Desktop config')
  .addOption(json())
  .action((name: string, command: string[], o) => addServer(name, command, o));
for (const action of ['remove', 'enable', 'disable', 'restart'] as const) {
  servers
    .command(`${action} <name>`)
    .description(`${action} a server`)
    .addOption(json())
    .action((name: string, o) => changeServer(action, name, o));
}
servers
  .command('pin <name>')
  .description('name an exact release of the package a command server runs (npx, uvx, pipx…): the newest now, or --release; with --image, the image it runs in by its digest')
  .option('--release <version>', 'this release instead of the newest')
  .option('--image', 'pin the image it runs in (its container, or its own docker run) to the one its tag names now')
  .option('--yes', 'do not ask for confirmation')
  .addOption(json())
  .action((name: string, o) => pin(name, o));
servers
  .command('hosts <name>')
  .description("the hosts a server's container, which has no network, may reach through Gatehouse's proxy (isolation.allowHosts)")
  .option('--allow <host>', 'let it reach this host: a name, "*.domain" for its subdomains, ":port" when not 80 or 443 (repeatable)', collectList)
  .option('--deny <host>', 'take this host off its list (repeatable)', collectList)
  .option('--yes', 'do not ask for confirmation')
  .addOption(json())
  .action((name: string, o) => allowedHosts(name, o));
servers
  .command('review <name>')
  .description("everything to decide on a server: its tools in full, what changed since approval, the scanner's findings")
  .option('--refresh', 'list it again now')
  .option('--all', 'print approved tools in full too, and long descriptions whole')
  .option('--flagged', 'print only what the scanner flagged')
  .addOption(json())
  .action((name: string, o) => reviewServer(name, o));
for (const action of ['approve', 'block'] as const) {
  const decision = servers
    .command(`${action} <name>`)
    .description(action === 'approve' ? 'approve a quarantined server (or changed tools, prompts, templates) and pin their definitions' : 'block a server, or some of its tools, prompts or templates')
    .option('--tool <name>', 'only this tool (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--prompt <name>', 'only this prompt (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--template <name>', 'only this resource template, by name (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--resource <uri>', 'only this resource the scanner flagged, by URI (repeatable)', (v: string, prev: string[] = []) => [...prev, v])
    .option('--yes', 'do not ask for confirmation')
    .addOption(json())
    .action((name: string, o) => decide(action, name, o));
  if (action === 'approve') {
    decision.option('--except-flagged', 'approve what waits but what the scanner flagged, which stays pending');
    decision.option('--instructions', "the server's instructions to the model (alone, or with the items named)");
  }
}
servers
  .command('logs <name>')
  .description("a server's recent log lines (stderr and Gatehouse's notes)")
  .option('--limit <n>', 'how many lines', parseLimit, 100)
  .addOption(json())
  .action((name: string, o) => serverLogs(name, o));

const activityFilters = (command: Command) =>
  command
    .option('--kind <kind>', 'call, read, server, trust, config, admin or signin')
    .option('--server <name>', 'only this server')
    .option('--tool <name>', 'only this tool (or admin method)')
    .option('--client <name>', 'only calls from this client')
    .option('--status <status>', 'ok, error, denied, … (or a state or decision)')
    .option('--since <when>', 'a time (2026-11-28T09:00) or a span back from now (30m, 2h, 7d)')
    .option('--text <words>', 'words in tool names, arguments, results or errors');
const activity = activityFilters(program.command('activity').description('what agents and people did: calls, decisions, server and config changes'))
  .option('--limit <n>', 'how many of the newest', parseLimit, 50)
  .option('--follow', 'then print new records as they happen')
  .addOption(json())
  .action((o) => showActivity(o));
activity
  .command('verify')
  .description("check the activity log's hash chain: any edited, deleted or reordered record is named")
  .addOption(json())
  .action(async (o) => {
    exitCode = await verifyActivity(o);
  });
activityFilters(activity.command('export').description('write the activity log (oldest first) for archiving'))
  .option('--format <format>', 'jsonl', 'jsonl')
  .option('--output <file>', 'write to this file instead of stdout')
  .action((o) => exportActivity(o));

const tools = program.command('tools').description('list, search and call tools');
tools
  .command('list')
  .description('tools of every server (from the catalog; servers never listed are asked)')
  .option('--server <name>', 'only this server')
  .option('--refresh', 'ask the servers instead of the catalog')
  .addOption(json())
  .addOption(logLevelOption())
  .action((o) => listTools(o));
tools
  .command('search <query>')
  .description('find tools by what they do')
  .option('--limit <n>', 'most results', parseLimit, 10)
  .addOption(json())
  .action((query: string, o) => searchTools(query, o));
tools
  .command('call <id> [arguments]')
  .description('call a tool by id, "<server>__<tool>", with its arguments as a JSON object (or --args)')
  .option('--args <json>', 'arguments as a JSON object')
  .option('--json', 'print the whole result as JSON')
  .addOption(logLevelOption())
  .action(async (id: string, given: string | undefined, o) => {
    exitCode = await callTool(id, given, o);
  });

const policy = program.command('policy').description('what happens when an agent calls a tool: allow, ask you, or deny');
policy.command('show').description('the rules you set, and strict mode').addOption(json()).action((o) => showPolicy(o));
policy
  .command('set <target> <rule>')
  .description('rule for a server or one tool (`<server>` or `<server>__<tool>`): allow, ask, deny, or default')
  .addOption(json())
  .action((target: string, rule: string, o) => setPolicy(target, rule, o));
policy
  .command('strict <on|off>')
  .description('also ask before tools that do not say whether they change anything')
  .addOption(json())
  .action((value: string, o) => setStrict(value, o));

const settings = program.command('settings').description("Gatehouse's own settings: gateway mode, limits, hidden text, the management tool, isolation defaults and images, the activity log's retention");
settings.command('show').description('every setting and its value').addOption(json()).action((o) => showSettings(o));
settings
  .command('set <key> <value>')
  .description('change one (`settings show` names them); one that sends approved servers back to review or turns off a guard asks first')
  .option('--yes', 'do not ask for confirmation')
  .addOption(json())
  .action((key: string, value: string, o) => setSetting(key, value, o));
settings.command('images').description('the image each runtime\'s command servers run in when their entry names none, and whether its digest names it').addOption(json()).action((o) => listImages(o));
settings
  .command('pin-images [runtime...]')
  .description('name those images by their digest, the image each tag names now (by default, each one some server runs in); the servers approved in them stay approved')
  .option('--yes', 'do not ask for confirmation')
  .addOption(json())
  .action((runtimes: string[], o) => pinImages(runtimes, o));

const approvals = program.command('approvals').description("agents' calls waiting for your yes or no");
approvals.command('list').description('calls waiting for you').addOption(json()).action((o) => listApprovals(o));
approvals.command('allow <id>').description('let a waiting call run').addOption(json()).action((id: string, o) => answerApproval(id, true, o));
approvals.command('deny <id>').description('refuse a waiting call').addOption(json()).action((id: string, o) => answerApproval(id, false, o));

const secrets = program.command('secrets').description('secret values for servers, kept in the OS keychain');
secrets
  .command('set <name>')
  .description('store a secret: typed at a hidden prompt, piped on stdin, or --from-env VAR')
  .option('--from-env <VAR>', 'take the value from this environment variable')
  .addOption(json())
  .action((name: string, o) => setSecret(name, o));
secrets.command('get <name>').description("print a secret's value").addOption(json()).action((name: string, o) => getSecret(name, o));
secrets.command('list').description('secret names (never values), and which servers use them').addOption(json()).action((o) => listSecrets(o));
secrets.command('delete <name>').description('delete a secret').addOption(json()).action((name: string, o) => deleteSecret(name, o));

const auth = program.command('auth').description('sign servers in with OAuth 2.1 (tokens kept in the OS keychain), out, and see their sign-ins');
auth
  .command('login <server>')
  .description('sign a server in: opens the authorization page in your browser and waits for it')
  .option('--no-open', 'only print the address')
  .addOption(json())
  .action((name: string, o) => login(name, o));
auth.command('logout <server>').description("forget a server's tokens").addOption(json()).action((name: string, o) => logout(name, o));
auth
  .command('status [server]')
  .description('sign-ins: state, scopes, expiry')
  .addOption(json())
  .action((name: string | undefined, o) => authStatus(name, o));

const clients = program.command('clients').description("AI clients' config files: connect them to Gatehouse, bring their servers along");
const workspace = () => new Option('--workspace <dir>', "a project folder (VS Code's .vscode/mcp.json there)");
clients.command('list').description('the AI clients Gatehouse knows: here or not, connected or not, their servers').addOption(workspace()).addOption(json()).action((o) => listClients(o));
clients
  .command('connect <client>')
  .description("point a client at Gatehouse: shows the change to its config file, then writes it (keeping the old file for undo)")
  .option('--yes', 'write without asking')
  .addOption(workspace())
  .addOption(json())
  .action((id: string, o) => connectClient(id, o));
clients
  .command('disconnect <client>')
  .description("take Gatehouse's entry (only it) out of a client's config, and revoke its token")
  .option('--yes', 'write without asking')
  .addOption(workspace())
  .addOption(json())
  .action((id: string, o) => disconnectClient(id, o));
clients.command('undo <client>').description("put a client's config file back as it was before Gatehouse changed it").addOption(workspace()).addOption(json()).action((id: string, o) => undoClient(id, o));
clients
  .command('profile <client>')
  .description('limit a client connected over HTTP to some servers (it sees, searches and calls only those), or --all')
  .option('--server <name...>', 'the servers it may use')
  .option('--all', 'every server again')
  .addOption(workspace())
  .addOption(json())
  .action((id: string, o) => profileClient(id, o));
clients
  .command('import <client>')
  .description("bring a client's servers into Gatehouse (quarantined for review; secrets into the secret store)")
  .option('--server <name...>', 'only these servers')
  .option('--remove', 'take servers that already work through Gatehouse out of the client')
  .addOption(workspace())
  .addOption(json())
  .action((id: string, o) => importClient(id, o));

const vault = program.command('vault').description('a remote vault that keeps API keys off this machine: its keys, clients, routes, and serving it');
const onVault = () => new Option('--vault', "the vault's own key (in $GATEHOUSE_VAULT_HOME), not this Gatehouse's");
vault.command('keygen').description('make a key pair (Ed25519 to sign, X25519 to agree keys), private files 0600').addOption(onVault()).addOption(json()).action((o) => keygen(o));
vault.command('fingerprint').description("print a key's fingerprint and public keys").addOption(onVault()).addOption(json()).action((o) => showFingerprint(o));
vault.command('authorize <name> <sign> <agree>').description('on the vault: let a Gatehouse with these public keys in (put `--` before the keys: one may start with "-")').addOption(json()).action((name: string, sign: string, agree: string, o) => authorize(name, sign, agree, o));
vault.command('route').description('on the vault: add a route from a template (github, stripe, trello)').requiredOption('--template <name>', 'the template').addOption(json()).action((o) => addRoute(o.template, o));
vault.command('serve').description('run the vault').option('--port <n>', 'port to listen on (vault.json says otherwise)', parsePort).action((o) => serveVault(o));
vault
  .command('setup')
  .description('the steps on both sides, with the exact server entry to add here')
  .option('--vault <url>', "the vault's address")
  .option('--sign <key>', "the vault's signing key")
  .option('--agree <key>', "the vault's key-agreement key")
  .action((o) => vaultSetup(o));

program
  .command('scan [file]')
  .description("the poisoning scanner over tool, prompt and template definitions in a file or on stdin (a saved tools/list answer, JSON Lines of tools), without adding a server; exits 1 when something is flagged")
  .option('--all', 'print low findings of definitions not flagged too')
  .addOption(json())
  .action(async (file: string | undefined, o) => {
    exitCode = await scanFile(file, o);
  });

program
  .command('connect <url>')
  .description('one remote MCP server on stdin/stdout, signed in with OAuth (for a client that takes a command)')
  .option('--client-id <id>', 'a client registered beforehand (a value, or env:VAR)')
  .option('--client-secret <secret>', "that client's secret (a value, or env:VAR)")
  .option('--scope <scopes>', 'scopes to ask for (space- or comma-separated)')
  .option('--redirect-port <n>', 'the loopback port of the redirect URI', parsePort)
  .option('--client-metadata-url <url>', "the https address of Gatehouse's Client ID Metadata Document")
  .option('--header <"Name: value">', 'a header sent with every request (repeat it for more); ${env:NAME} and ${keyring:name} in the value are filled in', collectList)
  .option('--no-open', 'print the sign-in address instead of opening the browser')
  .action((url: string, o) => connectRemote(url, o));

// `--port` names the running Gatehouse to talk to (serve takes it as the port to listen on).
for (const command of program.commands.filter((c) => !['connect', 'vault', 'scan'].includes(c.name())).flatMap((c) => [c, ...c.commands])) {
  if (!command.options.some((o) => o.long === '--port')) command.option('--port <n>', 'port of a running Gatehouse', parsePort);
}

function exitCodeOf(err: unknown): number {
  if (err instanceof CliError) return err.exitCode;
  if (err instanceof ConfigError) return EXIT.usage;
  if (err instanceof ApiError) return err.code === 'unavailable' || err.code === 'internal' ? EXIT.unavailable : EXIT.usage;
  return EXIT.unavailable;
}

program
  .parseAsync(process.argv)
  .then(() => {
    if (exitCode !== EXIT.ok) process.exitCode = exitCode;
  })
  .catch((err: unknown) => {
    note(`gatehouse: ${(err as Error)?.message ?? String(err)}`);
    process.exit(exitCodeOf(err));
  });
