// Renders the admin API reference (docs/admin-api.md) from the contract's schemas, so the page can
// never drift from what the code accepts.
import { z } from 'zod';
import { events, methods } from './contract.js';

function schemaBlock(schema: z.ZodType, io: 'input' | 'output'): string {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  delete json.$schema;
  return ['```json', JSON.stringify(json, null, 2), '```'].join('\n');
}

export function renderApiReference(): string {
  const out: string[] = [
    '# Admin API reference',
    '',
    '<!-- Generated from src-shared/api/contract.ts by `npm run docs:api`; do not edit by hand. -->',
    '',
    'Everything a person does in Gatehouse goes through this API: the CLI uses it, and the desktop UI will.',
    '',
    '- **HTTP**: `POST /api/<method>` with a JSON body (the input below). On the local socket whose path',
    '  `state/instance.json` names as `admin` (a Unix socket in `state/`, a named pipe on Windows; what the',
    '  `gatehouse` command uses), with no token: only a process of the same user can open it. Or on the',
    '  gateway\'s port, `http://127.0.0.1:<port>/api/<method>`, with `Authorization: Bearer <token>` where the',
    '  token is what `GATEHOUSE_ADMIN_TOKEN` was set to when Gatehouse started (none is accepted otherwise, and',
    '  none is kept in a file); the gateway\'s client token is not accepted. Host and Origin must be loopback.',
    '- **Answers**: `200` with the output below; errors as `{ "error": <code>, "message": <text>, "problems"?: [...] }`',
    '  with `400 invalid_input`, `401 unauthorized`, `403 forbidden`, `404 not_found` (unknown method or name),',
    '  `409 conflict`, `503 unavailable` (a server could not be reached), `500 internal`.',
    '- **Events**: `GET /api/events` is a Server-Sent Events stream; each event is `{ "type", "payload" }`.',
    '  A subscriber that falls more than 1,000 events behind gets a `notice` and is disconnected.',
    '',
    '## Methods',
    '',
  ];
  for (const [name, spec] of Object.entries(methods)) {
    out.push(`### \`${name}\``, '', spec.description, '', 'Input:', '', schemaBlock(spec.input, 'input'), '', 'Output:', '', schemaBlock(spec.output, 'output'), '');
  }
  out.push('## Events', '');
  for (const [name, spec] of Object.entries(events)) {
    out.push(`### \`${name}\``, '', spec.description, '', schemaBlock(spec.payload, 'output'), '');
  }
  return out.join('\n');
}
