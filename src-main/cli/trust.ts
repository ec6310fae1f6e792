// `gatehouse servers review|approve|block`, `gatehouse policy …` and `gatehouse approvals …`: the
// person's trust decisions. Approving and blocking ask for confirmation on a terminal, or take --yes.
import type { MethodOutput } from '../../src-shared/api/index.js';
import { allButFlagged, flaggedItem, reviewOrder, TEXT_SHOWN_AT_FIRST, waitsForReview } from '../../src-shared/trust.js';
import { withApi, type ConnectOptions } from './api.js';
import { CliError, confirm, note, print, printJson, table } from './output.js';
import { counted } from '../../src-shared/counted.js';

type Common = ConnectOptions & { json?: boolean };
type Review = MethodOutput<'servers.review'>['review'];

/** "307 tools: 306 new, 1 flagged by the scanner"; `what` is the items' noun in the singular, `after` any words that follow it. */
function summary(what: string, items: readonly { trust: string; findings: readonly { severity: string }[] }[], after = ''): string {
  const count = (test: (i: (typeof items)[number]) => boolean) => items.filter(test).length;
  const parts: [number, string][] = [
    [count((i) => i.trust === 'changed'), 'changed'],
    [count((i) => i.trust === 'pending'), 'new'],
    [count((i) => i.trust === 'blocked'), 'blocked'],
    [count(flaggedItem), 'flagged by the scanner'],
  ];
  const said = parts.filter(([n]) => n > 0).map(([n, label]) => `${n} ${label}`);
  return `${counted(items.length, what)}${after}${said.length ? `: ${said.join(', ')}` : ''}`;
}

function described(text: string, full: boolean): string {
  if (full || text.length <= TEXT_SHOWN_AT_FIRST) return text;
  return `${text.slice(0, TEXT_SHOWN_AT_FIRST)}… (${(text.length - TEXT_SHOWN_AT_FIRST).toLocaleString('en')} more characters: --all or --json prints them)`;
}

/** How it will be started beyond its command, and what of that deserves a second look. */
function printLaunch(server: string, launch: Review['launch'], out: (line: string) => void): void {
  for (const e of launch.env) out(`  env ${e.name}=${e.value}`);
  for (const h of launch.headers) out(`  header ${h.name}: ${h.value}`);
  if (launch.cwd) out(`  In folder: ${launch.cwd}`);
  if (launch.sandbox) out(`  ${launch.sandbox}`);
  for (const c of launch.concerns) out(`  Look before approving: ${c}`);
  if (launch.release) out(`  ${launch.release} To pin the newest: gatehouse servers pin ${server}`);
  if (launch.image) {
    const forAll = launch.imageRuntime ? `; for every ${launch.imageRuntime} server: gatehouse settings pin-images ${launch.imageRuntime}` : '';
    out(`  ${launch.image} To pin it: gatehouse servers pin ${server} --image${forAll}`);
  }
}

/** Fields of a definition beyond those shown by name (icons, _meta, fields of later protocol revisions). */
const SHOWN_FIELDS = new Set(['name', 'description', 'inputSchema', 'annotations']);

function printReview(r: Review, full: boolean, flaggedOnly: boolean): void {
  const head = r.trust === 'quarantined' ? `quarantined (${r.reason ?? 'new server'}${r.origin === 'agent' ? ', asked for by an agent' : ''})` : r.trust;
  print(`Server "${r.server}": ${head}`);
  print(`  ${r.transport === 'stdio' ? 'Runs' : `Reached over ${r.transport === 'sse' ? 'SSE' : r.transport === 'vault' ? 'a vault channel' : 'Streamable HTTP'} at`}: ${r.target}`);
  printLaunch(r.server, r.launch, print);
  if (r.error) print(`  Could not list it: ${r.error}`);
  if (r.notStarted) print(`  ${r.notStarted} To list them: gatehouse servers review ${r.server} --refresh`);
  else if (r.listedAt === undefined) print('  Never listed: its tools are not known yet.');
  const kinds = [summary('tool', r.tools), r.prompts.length ? summary('prompt', r.prompts) : '', r.resourceTemplates.length ? summary('resource template', r.resourceTemplates) : '', r.resources.length ? summary('resource', r.resources, ' to decide on') : ''];
  if (r.listedAt !== undefined) print(`  ${kinds.filter(Boolean).join('; ')}${flaggedOnly ? ' (shown: those flagged)' : ''}`);
  const told = r.instructions;
  if (told && (!flaggedOnly || told.findings.length)) {
    print(`\n  Instructions to the model  [${[told.trust, told.findings.length ? counted(told.findings.length, 'finding') : ''].filter(Boolean).join(', ')}]`);
    if (full || told.trust !== 'approved') print(indent(described(told.text, full), '    '));
    printFindingsAndDiff(told.findings, undefined, 'changed since approval');
  }
  const shown = <T extends Review['tools'][number] | Review['prompts'][number]>(items: T[]) => reviewOrder(items).filter((i) => !flaggedOnly || flaggedItem(i));
  for (const t of shown(r.tools)) {
    const marks = [t.trust, t.renamedFrom ? `renamed from ${t.renamedFrom}?` : '', t.findings.length ? counted(t.findings.length, 'finding') : '', t.rule !== 'allow' ? `calls: ${t.rule}` : '']
      .filter(Boolean)
      .join(', ');
    print(`\n  ${t.name}  [${marks}]`);
    if (full || t.trust !== 'approved') {
      const d = t.definition as { description?: string; inputSchema?: unknown; annotations?: unknown };
      if (d.description) print(indent(described(d.description, full), '    '));
      print(`    input: ${JSON.stringify(d.inputSchema)}`);
      if (d.annotations) print(`    annotations: ${JSON.stringify(d.annotations)}`);
      for (const [key, value] of Object.entries(t.definition)) if (!SHOWN_FIELDS.has(key)) print(`    ${key}: ${JSON.stringify(value)}`);
    }
    printFindingsAndDiff(t.findings, t.diff, t.renamedFrom ? `against "${t.renamedFrom}"` : 'changed since approval');
  }
  if (r.removed.length) print(`\n  No longer listed: ${r.removed.join(', ')}`);
  if (r.namedBy?.length) {
    print(`\n  Other servers' tools name this server's tools, and may steer how they are used:`);
    for (const n of r.namedBy) print(`    ${n.server} › ${n.tool} [${n.trust}] names ${n.names.join(', ')}  (gatehouse servers review ${n.server})`);
  }
  for (const [kind, items] of [['prompt', r.prompts], ['resource template', r.resourceTemplates], ['resource', r.resources]] as const) {
    for (const item of shown(items)) {
      // A resource waits for what it says, not for being new.
      const standing = kind === 'resource' && item.trust === 'pending' ? 'held back' : item.trust;
      const marks = [standing, item.findings.length ? counted(item.findings.length, 'finding') : ''].filter(Boolean).join(', ');
      print(`\n  ${kind} ${item.name}  [${marks}]`);
      const d = item.definition as { description?: string; uriTemplate?: string; arguments?: unknown; name?: string };
      if (full || item.trust !== 'approved') {
        if (d.uriTemplate) print(`    ${d.uriTemplate}`);
        if (kind === 'resource' && d.name) print(`    name: ${d.name}`);
        if (d.description) print(indent(described(d.description, full), '    '));
        if (d.arguments) print(`    arguments: ${JSON.stringify(d.arguments)}`);
      }
      printFindingsAndDiff(item.findings, item.diff, 'changed since approval');
    }
  }
  const flagged = r.resources.filter(waitsForReview).length;
  if (flagged) print(`\n  The scanner flagged what ${flagged === 1 ? 'the resource above says: agents do not get it until you approve it' : 'the resources above say: agents do not get them until you approve them'} (--resource <uri>).`);
  if (r.otherResources) print(`\n  ${r.resources.length ? 'Also' : 'It lists'} ${counted(r.otherResources, 'resource')} the scanner found nothing in: its data, which agents get with the server.`);
}

function printFindingsAndDiff(findings: Review['tools'][number]['findings'], diff: Review['tools'][number]['diff'], heading: string): void {
  for (const f of findings) print(`    ! ${f.severity} ${f.family} in ${f.field}: ${f.message}: "${f.excerpt}"`);
  if (diff) {
    print(`    ${heading}:`);
    for (const l of diff) if (l.op !== ' ') print(`    ${l.op} ${l.text.trim()}`);
  }
}

function indent(text: string, pad: string): string {
  return text
    .split('\n')
    .map((l) => pad + l)
    .join('\n');
}

export async function reviewServer(name: string, options: Common & { refresh?: boolean; all?: boolean; flagged?: boolean }): Promise<void> {
  await withApi(options, async (api) => {
    const { review } = await api.call('servers.review', { name, refresh: options.refresh ?? false });
    if (options.json) return printJson(review);
    printReview(review, options.all ?? false, options.flagged ?? false);
  });
}

/** Items named before asking to approve them, flagged ones first: a server can list thousands. */
const NAMED_BEFORE_ASKING = 40;

export async function decide(
  action: 'approve' | 'block',
  name: string,
  options: Common & { tool?: string[]; prompt?: string[]; template?: string[]; resource?: string[]; instructions?: boolean; exceptFlagged?: boolean; yes?: boolean },
): Promise<void> {
  await withApi(options, async (api) => {
    let tools = options.tool?.length ? options.tool : undefined;
    let prompts = options.prompt?.length ? options.prompt : undefined;
    let resourceTemplates = options.template?.length ? options.template : undefined;
    const resources = options.resource?.length ? options.resource : undefined;
    let instructions: boolean | undefined = options.instructions || undefined;
    if (options.exceptFlagged && (tools || prompts || resourceTemplates || resources || instructions)) throw new CliError('--except-flagged approves what waits but the flagged: name no items with it');
    // A person approves what they were shown: list it first, when it never was (blocking starts nothing),
    // and the approval carries what was shown, so a change made meanwhile is refused.
    const review = action === 'approve' ? (await api.call('servers.review', { name })).review : undefined;
    if (options.exceptFlagged && review) {
      // Everything that waits but what the scanner flagged, in the review the approval carries: those stay
      // pending, out of agents' reach.
      ({ tools, prompts, resourceTemplates, instructions } = allButFlagged(review));
      if (!tools && !prompts && !resourceTemplates) throw new CliError(`nothing of "${name}" waits but what the scanner flagged: approve it whole, or name items with --tool, --prompt or --template`);
    }
    const some = tools || prompts || resourceTemplates || resources || instructions;
    let reviewed: string | undefined;
    if (review) {
      reviewed = review.reviewed;
      if (!options.json) {
        note(`  ${review.transport === 'stdio' ? 'Runs' : 'Reached at'}: ${review.target}`);
        printLaunch(review.server, review.launch, note);
      }
      const shown = [
        ...(some ? review.tools.filter((t) => tools?.includes(t.name)) : review.tools.filter(waitsForReview)),
        ...(some ? review.prompts.filter((p) => prompts?.includes(p.name)) : review.prompts.filter(waitsForReview)).map((p) => ({ ...p, name: `prompt ${p.name}` })),
        ...(some ? review.resourceTemplates.filter((t) => resourceTemplates?.includes(t.name)) : review.resourceTemplates.filter(waitsForReview)).map((t) => ({ ...t, name: `template ${t.name}` })),
        ...(some ? review.resources.filter((r) => resources?.includes(r.name)) : review.resources.filter(waitsForReview)).map((r) => ({ ...r, name: `resource ${r.name}` })),
      ];
      const given = review.instructions;
      if (instructions && given) shown.unshift({ name: 'instructions to the model', trust: given.trust, findings: given.findings, definition: { instructions: given.text } });
      else if (instructions) throw new CliError(`"${name}" gives no instructions to the model${review.listedAt === undefined ? ' that Gatehouse has seen (it was never listed)' : ''}`);
      const listed = reviewOrder(shown);
      for (const t of options.json ? [] : listed.slice(0, NAMED_BEFORE_ASKING)) {
        const flags = t.findings.length ? ` — ${counted(t.findings.length, 'scanner finding')}: ${[...new Set(t.findings.map((f) => f.family))].join(', ')}` : '';
        note(`  ${t.name} (${t.trust})${flags}`);
      }
      if (!options.json && listed.length > NAMED_BEFORE_ASKING) note(`  … and ${listed.length - NAMED_BEFORE_ASKING} more (\`gatehouse servers review ${name}\` shows them all)`);
      if (!options.json && review.notStarted) note(`  An agent asked for it, so it was not started: its tools are not known and will be pinned as first listed (\`gatehouse servers review ${name} --refresh\` lists them first).`);
      else if (!options.json && review.listedAt === undefined) note(`  Its tools could not be listed${review.error ? ` (${review.error})` : ''}; they will be pinned as first listed.`);
    }
    const named = [...(instructions ? ['the instructions to the model'] : []), ...(tools ?? []), ...(prompts ?? []).map((p) => `prompt ${p}`), ...(resourceTemplates ?? []).map((t) => `template ${t}`), ...(resources ?? []).map((r) => `resource ${r}`)];
    const what = options.exceptFlagged
      ? `server "${name}" and ${named.length} of its tools, prompts and templates, all but what the scanner flagged`
      : some
        ? `${named.join(', ')} of "${name}"`
        : `server "${name}"${action === 'approve' ? ' and its tools, prompts and templates' : ''}`;
    await confirm(`${action === 'approve' ? 'Approve' : 'Block'} ${what}?`, options.yes);
    const selection = { ...(tools ? { tools } : {}), ...(prompts ? { prompts } : {}), ...(resourceTemplates ? { resourceTemplates } : {}), ...(resources ? { resources } : {}) };
    const { server } =
      action === 'approve'
        ? await api.call('servers.approve', { name, ...selection, ...(instructions !== undefined ? { instructions } : {}), ...(reviewed ? { reviewed } : {}) })
        : await api.call('servers.block', { name, ...selection });
    if (options.json) return printJson(server);
    print(`${action === 'approve' ? 'Approved' : 'Blocked'} ${what}.${server.attention ? ` ${counted(server.attention, 'item')} still ${server.attention === 1 ? 'waits' : 'wait'} for review.` : ''}`);
  });
}

export async function showPolicy(options: Common): Promise<void> {
  await withApi(options, async (api) => {
    const policy = await api.call('policy.get', {});
    if (options.json) return printJson(policy);
    print(`Strict: ${policy.strict ? 'on (ask before tools that do not say whether they change anything)' : 'off'}`);
    print(policy.rules.length ? table(policy.rules.map((r) => ({ ...r, tool: r.tool ?? '(all tools)' })), ['server', 'tool', 'rule']) : 'No rules set: calls to tools annotated destructive are asked about; the rest are allowed.');
  });
}

export async function setPolicy(target: string, rule: string, options: Common): Promise<void> {
  // Server names never hold "__"; a tool's name may.
  const at = target.indexOf('__');
  const [server, tool] = at < 0 ? [target, undefined] : [target.slice(0, at), target.slice(at + 2)];
  if (!['allow', 'ask', 'deny', 'default'].includes(rule)) throw new CliError(`the rule must be allow, ask, deny or default, not "${rule}"`);
  await withApi(options, async (api) => {
    const result = await api.call('policy.set', { server, ...(tool ? { tool } : {}), rule: rule as 'allow' });
    if (options.json) return printJson(result);
    print(`Calls to ${tool ? `${server}__${tool}` : `every tool of "${server}"`}: ${rule === 'default' ? 'back to the default' : rule}.${result.note ? `\n${result.note}` : ''}`);
  });
}

export async function setStrict(value: string, options: Common): Promise<void> {
  if (value !== 'on' && value !== 'off') throw new CliError('say `on` or `off`');
  await withApi(options, async (api) => {
    const result = await api.call('policy.strict', { strict: value === 'on' });
    if (options.json) return printJson(result);
    print(`Strict mode ${value}.`);
  });
}

export async function listApprovals(options: Common): Promise<void> {
  await withApi(options, async (api) => {
    const { requests } = await api.call('approvals.list', {});
    if (options.json) return printJson(requests);
    const args = (text: string) => (text.length > 200 ? `${text.slice(0, 200)}… (${text.length} characters; --json shows them all)` : text);
    print(
      requests.length
        ? table(
            requests.map((r) => ({ ...r, tool: `${r.server}__${r.tool}`, client: r.client ?? '(unnamed)', expires: new Date(r.expiresAt).toLocaleTimeString(), arguments: args(r.arguments) })),
            ['id', 'tool', 'client', 'expires', 'arguments'],
          )
        : 'No call is waiting for you.',
    );
  });
}

export async function answerApproval(id: string, allow: boolean, options: Common): Promise<void> {
  await withApi(options, async (api) => {
    const result = await api.call('approvals.answer', { id, allow });
    if (options.json) return printJson(result);
    print(`${allow ? 'Allowed' : 'Denied'} the call.`);
  });
}
