// Collects real, clean tool definitions for the scanner's training and measurement: installs MCP servers
// from npm (install scripts skipped), starts each with placeholder credentials, and keeps what its
// `tools/list` answers. Servers that will not start without real accounts are skipped and named.
//   npm run scanner:collect -- [--packages a,b,c] [--out training/scanner/clean-tools.jsonl]
//   npm run scanner:collect -- --unseen | --holdout | --third   (the sets once kept apart, learned from now)
//   npm run scanner:collect -- --fourth    (learned from since the fifth took its place)
//   npm run scanner:collect -- --fifth     (the set kept apart for measuring, into bench/data)
// A package named `pypi:<name>` is a Python server from PyPI, installed into a virtual environment of its
// own (with uv when it is on the PATH, else with pip) and started by its console script.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Gatehouse } from '../../src-main/core/index.js';
import { flag, option } from '../../bench/stats.js';
import { FIFTH_PACKAGES, FOURTH_PACKAGES, HOLDOUT_PACKAGES, PACKAGES, THIRD_PACKAGES, UNSEEN_PACKAGES } from './clean-packages.js';
import { KEPT_APART_FILE, readJsonl } from './dataset.js';

const run = promisify(execFile);
const cache = path.join(os.tmpdir(), 'gatehouse-scanner-servers');
const SETS = {
  training: { out: 'training/scanner/clean-tools.jsonl', packages: PACKAGES },
  unseen: { out: 'training/scanner/clean-tools-2.jsonl', packages: UNSEEN_PACKAGES },
  holdout: { out: 'training/scanner/clean-tools-3.jsonl', packages: HOLDOUT_PACKAGES },
  third: { out: 'training/scanner/clean-tools-4.jsonl', packages: THIRD_PACKAGES },
  fourth: { out: 'training/scanner/clean-tools-5.jsonl', packages: FOURTH_PACKAGES },
  fifth: { out: KEPT_APART_FILE, packages: FIFTH_PACKAGES },
};
const set = (['unseen', 'holdout', 'third', 'fourth', 'fifth'] as const).find((name) => flag(name)) ?? 'training';
const out = option('out') ?? SETS[set].out;
const packages = option('packages')?.split(',') ?? SETS[set].packages;

/**
 * Definitions of the other sets and of the dev set: a set kept apart leaves out any it shares with them
 * (forks and copies of one server), so it measures tools the scanner has not read.
 */
function knownElsewhere(): Set<string> {
  const files = [...Object.values(SETS).map((s) => s.out).filter((f) => f !== out), '../shared/bench/poisoning/dev.jsonl'];
  return new Set(
    files
      .filter((f) => existsSync(f))
      .flatMap((f) => readJsonl<{ tool: { name: string; description?: string } }>(f))
      .map(({ tool }) => JSON.stringify([tool.name, tool.description])),
  );
}

// Placeholders for the credentials servers check for at start-up; none is a real secret.
const PLACEHOLDER = 'placeholder-not-a-real-credential';
const ENV_NAMES = [
  'API_KEY', 'API_TOKEN', 'ACCESS_TOKEN', 'AUTH_TOKEN', 'TOKEN', 'GITHUB_TOKEN', 'GITHUB_PERSONAL_ACCESS_TOKEN', 'GITLAB_PERSONAL_ACCESS_TOKEN',
  'TAVILY_API_KEY', 'FIRECRAWL_API_KEY', 'BRAVE_API_KEY', 'NOTION_TOKEN', 'SLACK_BOT_TOKEN', 'SLACK_TEAM_ID', 'DD_API_KEY', 'DD_APP_KEY',
  'DATADOG_API_KEY', 'DATADOG_APP_KEY', 'HUBSPOT_ACCESS_TOKEN', 'PRIVATE_APP_ACCESS_TOKEN', 'SHORTCUT_API_TOKEN', 'APIFY_TOKEN',
  'CIRCLECI_TOKEN', 'LINEAR_API_KEY', 'ASANA_ACCESS_TOKEN', 'AIRTABLE_API_KEY', 'TODOIST_API_TOKEN', 'REPLICATE_API_TOKEN',
  'PINECONE_API_KEY', 'POSTMAN_API_KEY', 'HEROKU_API_KEY', 'MAPBOX_ACCESS_TOKEN', 'AMAP_MAPS_API_KEY', 'BRIGHTDATA_API_TOKEN',
  'API_TOKEN_BRIGHTDATA', 'SERPER_API_KEY', 'BROWSERBASE_API_KEY', 'BROWSERBASE_PROJECT_ID', 'BROWSERSTACK_USERNAME',
  'BROWSERSTACK_ACCESS_KEY', 'TRELLO_API_KEY', 'TRELLO_TOKEN', 'MONDAY_TOKEN', 'FIGMA_ACCESS_TOKEN', 'FIGMA_API_KEY',
  'CODACY_ACCOUNT_TOKEN', 'HOSTINGER_API_TOKEN', 'TELNYX_API_KEY', 'ELASTICSEARCH_API_KEY', 'METABASE_API_KEY', 'COOLIFY_ACCESS_TOKEN',
  'STRIPE_SECRET_KEY', 'OPENAI_API_KEY', 'ANTHROPIC_API_KEY', 'Z_AI_API_KEY', 'CONTEXT7_API_KEY', 'CLOUDFLARE_API_TOKEN',
  'JIRA_API_TOKEN', 'CONFLUENCE_API_TOKEN', 'ATLASSIAN_API_TOKEN', 'BITBUCKET_APP_PASSWORD', 'LINE_CHANNEL_ACCESS_TOKEN',
  'DATAFORSEO_PASSWORD', 'VARIFLIGHT_API_KEY', 'SUPABASE_ACCESS_TOKEN', 'INSTANT_APP_ADMIN_TOKEN', 'ARGOCD_API_TOKEN',
  'PERPLEXITY_API_KEY', 'RESEND_API_KEY', 'VERCEL_API_KEY', 'ATTIO_API_KEY', 'SANITY_API_TOKEN', 'DEEPSEEK_API_KEY', 'GEMINI_API_KEY',
  'YOUTUBE_API_KEY', 'APIFOX_ACCESS_TOKEN', 'APIDOG_ACCESS_TOKEN', 'N8N_API_KEY', 'DOKPLOY_API_KEY', 'CONTEXTSTREAM_API_KEY',
];
const PLACEHOLDER_SETTINGS: Record<string, string> = {
  ATLASSIAN_SITE_NAME: 'example', ATLASSIAN_USER_EMAIL: 'someone@example.com', JIRA_HOST: 'https://example.atlassian.net',
  JIRA_URL: 'https://example.atlassian.net', CONFLUENCE_URL: 'https://example.atlassian.net/wiki', BITBUCKET_USERNAME: 'someone',
  ELASTICSEARCH_URL: 'http://127.0.0.1:9', METABASE_URL: 'http://127.0.0.1:9', COOLIFY_BASE_URL: 'http://127.0.0.1:9',
  ARGOCD_BASE_URL: 'http://127.0.0.1:9', MYSQL_HOST: '127.0.0.1', MYSQL_USER: 'root', DATAFORSEO_USERNAME: 'someone',
  AZURE_DEVOPS_ORG_URL: 'https://dev.azure.com/example', SEARXNG_URL: 'http://127.0.0.1:9', MDB_MCP_CONNECTION_STRING: 'mongodb://127.0.0.1:9',
  GRAFANA_URL: 'http://127.0.0.1:9', JIRA_BASE_URL: 'https://example.atlassian.net', GOOGLE_CLOUD_PROJECT: 'example',
  MCP_MONGODB_URI: 'mongodb://127.0.0.1:9', N8N_API_URL: 'http://127.0.0.1:9', DOKPLOY_URL: 'http://127.0.0.1:9',
};

function envFor(): Record<string, string> {
  return { ...Object.fromEntries(ENV_NAMES.map((n) => [n, PLACEHOLDER])), ...PLACEHOLDER_SETTINGS };
}

interface Launch {
  command: string;
  args: string[];
}

/** Installs one package in its own folder; returns how to start it. */
async function install(pkg: string, uvCache: string): Promise<Launch> {
  const dir = path.join(cache, pkg.replace(/[@/:]/g, '_'));
  mkdirSync(dir, { recursive: true });
  if (pkg.startsWith('pypi:')) return installPython(pkg.slice('pypi:'.length), dir, uvCache);
  const manifest = path.join(dir, 'node_modules', pkg, 'package.json');
  if (!existsSync(manifest)) {
    writeFileSync(path.join(dir, 'package.json'), '{"private":true}');
    await run('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', pkg], { cwd: dir, timeout: 300_000 });
  }
  const meta = JSON.parse(readFileSync(manifest, 'utf8')) as { bin?: string | Record<string, string> };
  const bin = typeof meta.bin === 'string' ? meta.bin : Object.values(meta.bin ?? {})[0];
  if (!bin) throw new Error('the package has no executable');
  return { command: process.execPath, args: [path.join(dir, 'node_modules', pkg, bin)] };
}

const uv = (process.env.PATH ?? '').split(path.delimiter).map((d) => path.join(d, 'uv')).find((f) => existsSync(f));

/** A Python package in a virtual environment of its own, started by its console script. */
async function installPython(name: string, dir: string, uvCache: string): Promise<Launch> {
  const venv = path.join(dir, 'venv');
  const python = path.join(venv, 'bin', 'python');
  const done = path.join(dir, 'installed');
  if (!existsSync(done)) {
    rmSync(venv, { recursive: true, force: true });
    if (uv) {
      const env = { ...process.env, UV_CACHE_DIR: uvCache };
      await run(uv, ['venv', '-q', '--python', 'python3', venv], { timeout: 120_000, env });
      await run(uv, ['pip', 'install', '-q', '--python', python, name], { timeout: 300_000, env });
    } else {
      await run('python3', ['-m', 'venv', venv], { timeout: 120_000 });
      await run(python, ['-m', 'pip', 'install', '-q', '--disable-pip-version-check', name], { timeout: 600_000 });
    }
    writeFileSync(done, '');
  }
  const script = await consoleScript(python, name);
  return { command: path.join(venv, 'bin', script), args: [] };
}

/** The console script of a Python distribution: the one named like it, else its first. */
async function consoleScript(python: string, name: string): Promise<string> {
  const code = [
    'import sys, importlib.metadata as m',
    'd = m.distribution(sys.argv[1])',
    'print("\\n".join(e.name for e in d.entry_points if e.group == "console_scripts"))',
  ].join('\n');
  const { stdout } = await run(python, ['-c', code, name], { timeout: 60_000 });
  const scripts = stdout.split('\n').filter(Boolean);
  const normal = (s: string) => s.toLowerCase().replace(/[-_.]+/g, '-');
  const script = scripts.find((s) => normal(s) === normal(name)) ?? scripts[0];
  if (!script) throw new Error('the package has no console script');
  return script;
}

async function pool<T>(items: T[], width: number, work: (item: T) => Promise<void>): Promise<void> {
  const queue = [...items];
  await Promise.all(Array.from({ length: width }, async () => {
    for (let item = queue.shift(); item !== undefined; item = queue.shift()) await work(item);
  }));
}

interface Listed {
  tool: { name: string; description?: string; inputSchema: unknown };
  server: string;
  package: string;
}

/** Starts each installed server in a scratch Gatehouse and takes its `tools/list`. */
async function listTools(bins: Map<string, Launch>): Promise<Listed[]> {
  const home = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-collect-'));
  const names = new Map([...bins.keys()].map((pkg) => [pkg.replace(/^(@|pypi:)/, '').replace(/[^\w-]+/g, '-'), pkg]));
  // Servers write databases and settings where they start and in their home: a scratch folder is both.
  const scratch = path.join(home, 'scratch');
  mkdirSync(scratch);
  const env = { ...envFor(), HOME: scratch, USERPROFILE: scratch, XDG_CONFIG_HOME: scratch, XDG_DATA_HOME: scratch };
  const mcpServers = Object.fromEntries([...names].map(([name, pkg]) => [name, { ...bins.get(pkg)!, env, cwd: scratch }]));
  writeFileSync(path.join(home, 'config.json'), JSON.stringify({ mcpServers }));
  const core = await Gatehouse.open({ home });
  const listed: Listed[] = [];
  try {
    await pool([...names.keys()], 4, async (name) => {
      try {
        await core.admin.call('servers.approve', { name });
        const { review } = (await core.admin.call('servers.review', { name, refresh: true })) as {
          review: { error?: string; tools: { definition: Listed['tool'] }[] };
        };
        if (review.error) throw new Error(review.error);
        if (review.tools.length === 0) throw new Error('no tools listed');
        for (const { definition: { name: tool, description, inputSchema } } of review.tools) {
          listed.push({ package: names.get(name)!, server: name, tool: { name: tool, description, inputSchema } });
        }
        process.stderr.write(`${name}: ${review.tools.length} tools\n`);
        await core.admin.call('servers.disable', { name }).catch(() => undefined);
      } catch (err) {
        process.stderr.write(`skip ${name}: ${(err as Error).message.split('\n')[0].slice(0, 160)}\n`);
      }
    });
  } finally {
    await core.close();
    rmSync(home, { recursive: true, force: true });
  }
  return listed;
}

// Python servers bring their own dependencies, some of them gigabytes (machine-learning runtimes): they are
// installed, listed and removed a batch at a time, each batch with a package cache of its own.
const BATCH = 20;

async function main() {
  const known = set === 'training' ? new Set<string>() : knownElsewhere();
  const lines: string[] = [];
  let shared = 0;
  for (let at = 0; at < packages.length; at += BATCH) {
    const batch = packages.slice(at, at + BATCH);
    const uvCache = path.join(cache, `uv-cache-${at}`);
    const bins = new Map<string, Launch>();
    await pool(batch, 3, async (pkg) => {
      try {
        bins.set(pkg, await install(pkg, uvCache));
      } catch (err) {
        process.stderr.write(`skip ${pkg}: install failed (${(err as Error).message.split('\n')[0]})\n`);
      }
    });
    for (const { package: pkg, server, tool } of await listTools(bins)) {
      if (known.has(JSON.stringify([tool.name, tool.description]))) shared++;
      else lines.push(JSON.stringify({ package: pkg, server, tool }));
    }
    for (const pkg of batch.filter((p) => p.startsWith('pypi:'))) {
      rmSync(path.join(cache, pkg.replace(/[@/:]/g, '_')), { recursive: true, force: true });
    }
    rmSync(uvCache, { recursive: true, force: true });
  }
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, `${lines.sort().join('\n')}\n`);
  if (shared) process.stdout.write(`left out ${shared} tools whose definitions are in another set\n`);
  process.stdout.write(`${out}: ${lines.length} tools from ${new Set(lines.map((l) => (JSON.parse(l) as { server: string }).server)).size} servers\n`);
  process.exit(0);
}

void main();
