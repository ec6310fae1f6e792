import { Client, StreamableHTTPClientTransport } from '@modelcontextprotocol/client';
const t = new StreamableHTTPClientTransport(new URL('http://127.0.0.1:39990/mcp'), { requestInit: { headers: { Authorization: 'Bearer ' + process.argv[2] } } });
const c = new Client({ name: 'qa', version: '1' });
await c.connect(t);
const r = await c.callTool({ name: 'upstream_servers', arguments: { operation: 'list' } });
console.log(r.content[0].text);
await c.close();
