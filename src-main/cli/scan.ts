// `gatehouse scan [file]`: the poisoning scanner over definitions a person hands over (a saved tools/list
// answer, a file of many servers' tools), without adding a server or starting anything. Exits 1 when
// something is flagged, so a server's own CI can run it over its definitions.
import { readFile } from 'node:fs/promises';
import { ListingError, parseListing, scanListing, type ScannedDefinition } from '../core/index.js';
import { definitionsCounted } from '../../src-shared/trust.js';
import { CliError, EXIT, print, printJson } from './output.js';

async function readInput(file: string | undefined): Promise<{ text: string; from: string }> {
  if (file && file !== '-') {
    try {
      return { text: await readFile(file, 'utf8'), from: file };
    } catch (e) {
      throw new CliError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    }
  }
  if (process.stdin.isTTY) throw new CliError('give a file to scan, or pipe definitions on stdin (a saved tools/list answer, for one)');
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return { text: Buffer.concat(chunks).toString('utf8'), from: 'stdin' };
}

export async function scanFile(file: string | undefined, options: { json?: boolean; all?: boolean }): Promise<number> {
  const { text, from } = await readInput(file);
  let items: ScannedDefinition[];
  try {
    items = await scanListing(parseListing(text));
  } catch (e) {
    if (e instanceof ListingError) throw new CliError(`${from}: ${e.message}`);
    throw e;
  }
  const flagged = items.filter((i) => i.flagged);
  if (options.json) printJson({ definitions: items.length, flagged: flagged.length, items });
  else {
    print(`${definitionsCounted(items)} in ${from}: ${flagged.length ? `${flagged.length} flagged by the scanner` : 'none flagged by the scanner'}`);
    for (const item of options.all ? items.filter((i) => i.findings.length) : flagged) {
      const origin = [item.kind === 'tool' ? '' : item.kind === 'template' ? 'resource template' : item.kind, item.server, item.id].filter(Boolean).join(', ');
      print(`\n  ${item.name}${origin ? `  (${origin})` : ''}${item.flagged ? '' : '  [not flagged: low findings only]'}`);
      for (const f of item.findings) print(`    ! ${f.severity} ${f.family} in ${f.field}: ${f.message}: "${f.excerpt}"`);
    }
  }
  return flagged.length ? EXIT.flagged : EXIT.ok;
}
