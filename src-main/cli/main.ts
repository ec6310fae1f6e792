#!/usr/bin/env node
// The `gatehouse` command.
import { Command, Option } from 'commander';
import { ApiError } from '../../src-shared/api/index.js';
import { VERSION } from '../../src-shared/version.js';
import { ConfigError } from '../core/index.js';
import { collectPair, logLevelOption, parsePort, type LogLevel } from './options.js';
import { CliError, EXIT, note } from './output.js';
import { serve, stdio } from './serve.js';
import { addServer, changeServer, listServers, serverLogs, status } from './servers.js';
import { deleteSecret, getSecret, listSecrets, setSecret } from './secrets.js';
import { callTool, gatewayConnection, listTools, searchTools } from './tools.js';

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
  .addOption(logLevelOption().default('info'))
  .action((o: { port?: number; logLevel: LogLevel }) => serve(o));

program
  .command('stdio')
  .description('serve the gateway on stdin/stdout, for clients that only spawn processes')
  .addOption(logLevelOption())
  .action((o: { logLevel: LogLevel }) => stdio(o));

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
  .command('logs <name>')
  .description("a server's recent log lines (stderr and Gatehouse's notes)")
  .option('--limit <n>', 'how many lines', (v) => Number(v), 100)
  .addOption(json())
  .action((name: string, o) => serverLogs(name, o));

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
  .option('--limit <n>', 'most results', (v) => Number(v), 10)
  .addOption(json())
  .action((query: string, o) => searchTools(query, o));
tools
  .command('call <id>')
  .description('call a tool by id, "<server>__<tool>"')
  .option('--args <json>', 'arguments as a JSON object', '{}')
  .option('--json', 'print the whole result as JSON')
  .addOption(logLevelOption())
  .action(async (id: string, o) => {
    exitCode = await callTool(id, o);
  });

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

// `--port` names the running Gatehouse to talk to (serve takes it as the port to listen on).
for (const command of program.commands.flatMap((c) => [c, ...c.commands])) {
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
