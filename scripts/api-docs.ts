// Writes docs/admin-api.md from the contract. `npm run docs:api`.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { renderApiReference } from '../src-shared/api/reference.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
writeFileSync(path.join(root, 'docs', 'admin-api.md'), renderApiReference());
process.stdout.write('wrote docs/admin-api.md\n');
