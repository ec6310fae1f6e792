// Prints the window's bundle size after `vite build`: the JavaScript a first load fetches (the entry
// and the chunks it preloads), gzipped, against the 350 KB budget, and the pages loaded on demand.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';

const BUDGET_KB = 350;
const root = path.resolve('dist', 'renderer');
const html = readFileSync(path.join(root, 'index.html'), 'utf8');
const firstLoad = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\.?\/?([^"]+\.js)"/g)].map((m) => m[1]);
const gz = (file: string) => gzipSync(readFileSync(path.join(root, file)), { level: 9 }).length / 1024;
const all = readdirSync(path.join(root, 'assets')).filter((f) => f.endsWith('.js')).map((f) => `assets/${f}`);
const first = firstLoad.reduce((sum, f) => sum + gz(f), 0);
const later = all.filter((f) => !firstLoad.includes(f));
const css = readdirSync(path.join(root, 'assets')).filter((f) => f.endsWith('.css')).reduce((sum, f) => sum + gz(`assets/${f}`), 0);
console.log(`UI bundle: first load ${first.toFixed(1)} KB of gzipped JS (budget ${BUDGET_KB} KB)${first > BUDGET_KB ? ' — OVER BUDGET' : ''}; CSS ${css.toFixed(1)} KB gzipped`);
for (const f of later) console.log(`  on demand: ${path.basename(f)} ${gz(f).toFixed(1)} KB gzipped`);
if (first > BUDGET_KB) process.exitCode = 1;
