import { spawn } from 'node:child_process';
import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
for (let run = 0; run < 4; run++) {
const t0 = performance.now();
const child = spawn(process.execPath, ['bin/gatehouse.js', 'serve', '--port', '39601', '--log-level', 'error'], { env: { ...process.env, GATEHOUSE_HOME: '/tmp/gatehouse-startup-ATYLeI', GATEHOUSE_TOKEN: 'b' }, stdio: ['ignore', 'pipe', 'inherit'] });
await new Promise((r) => child.stdout.on('data', (d) => d.toString().includes('running') && r()));
const t1 = performance.now();
const c = new Client({ name: 'b', version: '1' });
await c.connect(new StreamableHTTPClientTransport(new URL('http://127.0.0.1:39601/mcp'), { requestInit: { headers: { Authorization: 'Bearer b' } } }));
const t2 = performance.now();
await c.callTool({ name: 'search_tools', arguments: { query: 'create a calendar event' } });
const t3 = performance.now();
console.log('printed', (t1 - t0).toFixed(0), 'connect', (t2 - t1).toFixed(0), 'first search', (t3 - t2).toFixed(0), 'total', (t3-t0).toFixed(0));
child.kill(); await new Promise(r => child.once('exit', r));
}
process.exit(0);
