#!/usr/bin/env node
// The `gatehouse` command.
import { Command, Option } from 'commander';
import { ConfigError } from '../core/index.js';
import { collectPair, logLevelOption, parsePort, type LogLevel } from './options.js';
import { CliError, EXIT, note } from './output.js';
import { serve, stdio } from './serve.js';
import { addServer, changeServer, listServers } from './servers.js';
import { callTool, listTools, searchTools } from './tools.js';

const program = new Command('gatehouse')
  .description('One local MCP endpoint for all your MCP servers. Files live in $GATEHOUSE_HOME (or the OS app-data folder).')
  .version('0.1.0')
  .showHelpAfterError();

let exitCode: number = EXIT.ok;

program
  .command('serve')
  .description('run headless: serve the gateway on http://127.0.0.1:<port>/mcp')
  .option('--port <n>', 'port on 127.0.0.1 (0 picks a free one)', parsePort)
  .addOption(logLevelOption().default('info'))
  .action((o: { port?: number; logLevel: LogLevel }) => serve(o));

program
  .command('stdio')
  .description('serve the gateway on stdin/stdout, for clients that only spawn processes')
  .addOption(logLevelOption())
  .action((o: { logLevel: LogLevel }) => stdio(o));

const servers = program.command('servers').description('list and change configured servers');
servers
  .command('list')
  .description('every configured server and its state')
  .option('--json', 'print JSON')
  .action((o) => listServers(o));
servers
  .command('add <name> [command...]')
  .description('add a server to config.json: `add <name> -- <command> [args…]` or `add <name> --url <url>`')
  .option('--url <url>', 'a Streamable HTTP (or SSE) server')
  .addOption(new Option('--type <type>', 'transport, when it cannot be told from the rest').choices(['stdio', 'http', 'sse']))
  .option('--env <KEY=VALUE>', 'environment variable for a stdio server (repeatable)', collectPair)
  .option('--header <KEY=VALUE>', 'HTTP header for a remote server (repeatable)', collectPair)
  .option('--cwd <dir>', 'working directory for a stdio server')
  .option('--description <text>', 'what the server is for')
  .option('--config <json>', 'the whole server entry as JSON, as in a Claude Desktop config')
  .option('--json', 'print JSON')
  .action((name: string, command: string[], o) => addServer(name, command, o));
for (const action of ['remove', 'enable', 'disable'] as const) {
  servers
    .command(`${action} <name>`)
    .description(`${action} a server`)
    .option('--json', 'print JSON')
    .action((name: string, o) => changeServer(action, name, o));
}

const tools = program.command('tools').description('list, search and call tools');
tools
  .command('list')
  .description('tools of every server (from the cache; servers never listed are asked)')
  .option('--server <name>', 'only this server')
  .option('--refresh', 'ask the servers instead of the cache')
  .option('--json', 'print JSON')
  .addOption(logLevelOption())
  .action((o) => listTools(o));
tools
  .command('search <query>')
  .description('find tools by what they do')
  .option('--limit <n>', 'most results', (v) => Number(v), 10)
  .option('--json', 'print JSON')
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

// `--port` is accepted by every command for scripts that pass it uniformly.
for (const command of program.commands.flatMap((c) => [c, ...c.commands])) {
  if (!command.options.some((o) => o.long === '--port')) command.option('--port <n>', 'port of a running Gatehouse', parsePort);
}

program
  .parseAsync(process.argv)
  .then(() => {
    if (exitCode !== EXIT.ok) process.exitCode = exitCode;
  })
  .catch((err: unknown) => {
    if (err instanceof CliError || err instanceof ConfigError) {
      note(`gatehouse: ${err.message}`);
      process.exit(err instanceof CliError ? err.exitCode : EXIT.usage);
    }
    note(`gatehouse: ${(err as Error)?.message ?? String(err)}`);
    process.exit(EXIT.unavailable);
  });
