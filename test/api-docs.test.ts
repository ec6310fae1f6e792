// docs/admin-api.md is generated from the contract; this fails when the contract changed and the page
// was not regenerated (`npm run docs:api`).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { methods } from '../src-shared/api/index.js';
import { renderApiReference } from '../src-shared/api/reference.js';
import { ROOT } from './helpers.js';

describe('admin API reference', () => {
  const page = readFileSync(path.join(ROOT, 'docs', 'admin-api.md'), 'utf8');
  it('is up to date with the contract', () => {
    expect(page).toBe(renderApiReference());
  });
  it('documents every method', () => {
    for (const name of Object.keys(methods)) expect(page).toContain(`### \`${name}\``);
  });
});
