import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
const t = new StreamableHTTPClientTransport(new URL('http://127.0.0.1:39990/mcp'), { requestInit: { headers: { Authorization: 'Bearer ' + process.argv[2] } } });
const c = new Client({ name: 'qa', version: '1' });
await c.connect(t);
const t0 = Date.now();
const r = await c.callTool({ name: 'call_tool', arguments: { id: 'everything__get-sum', arguments: { a: 2, b: 3 } } }, undefined, { timeout: 600000 }).catch(e => 'ERR ' + e.message);
console.log(((Date.now()-t0)/1000).toFixed(1)+'s', JSON.stringify(r).slice(0, 500));
await c.close();
