// The poisoning scanner: offline checks over a tool's name, description and every string in its input
// schema (parameter descriptions, titles, defaults, enums, examples, nested properties) for attacks aimed
// at the model. Hidden text (invisible Unicode, tag characters, reversed text, encoded payloads, comments)
// is decoded and scanned too. Each finding names its family, severity and exact span, with invisible
// characters made visible.
import type { ToolDefinition } from '../../../src-shared/catalog.js';

export type Family =
  | 'hidden_instruction_tags'
  | 'coercive_ordering'
  | 'param_exfiltration'
  | 'credential_harvesting'
  | 'tool_shadowing'
  | 'concealment'
  | 'unicode_smuggling'
  | 'encoded_payload'
  | 'schema_injection'
  | 'comment_hiding'
  | 'impersonation'
  | 'prompt_injection';

export type Severity = 'low' | 'medium' | 'high';

export interface Finding {
  family: Family;
  severity: Severity;
  message: string;
  /** Where: "description", "name", or a schema path such as "inputSchema.properties.attach.default". */
  field: string;
  start: number;
  end: number;
  /** The matched text, invisible characters shown as <U+XXXX>. */
  excerpt: string;
}

interface Text {
  field: string;
  text: string;
  /** Where the text came from when it was decoded out of something else. */
  via?: string;
}

// ---- Reading every string of a tool ----

function schemaStrings(value: unknown, path: string, out: Text[]): void {
  if (typeof value === 'string') {
    out.push({ field: path, text: value });
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => schemaStrings(v, `${path}[${i}]`, out));
    return;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === '$schema' || k === 'type' || k === 'format' || k === 'pattern') continue;
      if (path.endsWith('.properties')) out.push({ field: `${path}.${k}`, text: k });
      schemaStrings(v, `${path}.${k}`, out);
    }
  }
}

function texts(tool: ToolDefinition): Text[] {
  const out: Text[] = [{ field: 'name', text: tool.name }];
  if (tool.title) out.push({ field: 'title', text: tool.title });
  if (tool.description) out.push({ field: 'description', text: tool.description });
  schemaStrings(tool.inputSchema, 'inputSchema', out);
  return out;
}

// ---- Hidden text ----

const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]|\uDB40[\uDC00-\uDFFF]/g;
const TAGS = /(?:\uDB40[\uDC00-\uDC7F])+/g;
const BIDI = /[\u202A-\u202E\u2066-\u2069]/;

export function visible(text: string): string {
  return text.replace(INVISIBLE, (ch) => `<U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}>`);
}

/** Text hidden in Unicode tag characters (U+E0000–U+E007F), which mirror ASCII. */
function decodeTags(text: string): string[] {
  return [...text.matchAll(TAGS)].map((m) => [...m[0]].map((ch) => String.fromCharCode((ch.codePointAt(0) ?? 0) - 0xe0000)).join(''));
}

/** Bits hidden as two kinds of zero-width characters (any pair of them; separators ignored). */
function decodeZeroWidthBinary(text: string): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/[\u200B\u200C\u200D\u2060\uFEFF]{16,}/g)) {
    const run = m[0];
    for (const [zero, one] of [
      ['\u200B', '\u200C'],
      ['\u200C', '\u200B'],
      ['\u200B', '\u200D'],
      ['\u200C', '\u200D'],
    ]) {
      const bits = [...run].filter((c) => c === zero || c === one).map((c) => (c === one ? '1' : '0')).join('');
      for (const width of [8, 7]) {
        let s = '';
        for (let i = 0; i + width <= bits.length; i += width) s += String.fromCharCode(parseInt(bits.slice(i, i + width), 2));
        if (/^[\x20-\x7E\s]{6,}$/.test(s) && /[a-z]{3,} [a-z]{2,}/i.test(s)) out.push(s);
      }
    }
  }
  return out;
}

/** Text written backwards after a right-to-left override. */
function decodeReversed(text: string): string[] {
  return [...text.matchAll(/\u202E([^\u202C\u2069]*)/g)].map((m) => [...m[1]].reverse().join(''));
}

function printable(s: string): boolean {
  return s.length >= 8 && /^[\x20-\x7E\s]+$/.test(s) && /[a-z]{2,}[ ,.:;]+[a-z]{2,}/i.test(s);
}

/** Base64 or hex runs that decode to readable text. */
function decodePayloads(text: string): { decoded: string; start: number; end: number }[] {
  const out: { decoded: string; start: number; end: number }[] = [];
  for (const m of text.matchAll(/(?<![A-Za-z0-9+/=])[A-Za-z0-9+/]{20,}={0,2}(?![A-Za-z0-9+/=])/g)) {
    const decoded = Buffer.from(m[0], 'base64').toString('utf8');
    if (printable(decoded)) out.push({ decoded, start: m.index!, end: m.index! + m[0].length });
  }
  for (const m of text.matchAll(/(?<![0-9a-fA-F])(?:[0-9a-fA-F]{2}){12,}(?![0-9a-fA-F])/g)) {
    const decoded = Buffer.from(m[0], 'hex').toString('utf8');
    if (printable(decoded)) out.push({ decoded, start: m.index!, end: m.index! + m[0].length });
  }
  return out;
}

// ---- Checks over readable text ----

interface Rule {
  family: Family;
  severity: Severity;
  message: string;
  pattern: RegExp;
}

const SECRET_PLACES =
  String.raw`~\/\.ssh(?!\/[\w.-]*\.pub\b)|id_(?:rsa|ed25519|ecdsa)(?!\.pub)|\.aws\/credentials|aws_secret|\.git-credentials|\.netrc|\.npmrc|\.pypirc|\.docker\/config|\.kube\/config|gcloud\/credentials|\/etc\/(?:passwd|shadow)|hosts\.yml|\.env\b|keychain|wallet\.dat`;
// What the person has not chosen to share: the conversation, the system prompt, their identity and secrets,
// and other calls' arguments.
const PRIVATE_DATA = String.raw`(?:conversation|chat|message)(?:\s+so\s+far)?\s+history|system\s+prompt|(?:full|entire|whole)\s+(?:conversation|transcript|chat)|(?:previous|prior|last|recent)\s+(?:\d+\s+)?messages|messages\s+of\s+the\s+(?:chat|conversation)|(?:the\s+)?user'?s\s+(?:api\s+keys?|tokens?|passwords?|credentials|secrets|private\s+keys?|full\s+name|e-?mail(?:\s+address)?|(?:home\s+)?address|location|phone(?:\s+number)?|contacts)|(?:your|their|all)\s+(?:api\s+keys?|access\s+tokens?|private\s+keys?|credentials|passwords|session\s+cookies?)|environment\s+variables|env\s+vars|arguments\s+of\s+(?:the\s+)?(?:next|other|every|all|each)\s+(?:tool\s+)?calls?`;
const MOVE_DATA = String.raw`(?:include|pass|put|place|insert|append|attach|copy|add|send|forward|upload|post|fill|set|provide|supply|embed|read|collect|gather|extract|locate|contain)`;

const RULES: Rule[] = [
  // Instructions dressed as markup meant for the model only.
  { family: 'hidden_instruction_tags', severity: 'high', message: 'an instruction tag aimed at the model', pattern: /<\s*\/?\s*(?:important|system|instructions?|assistant|admin|hidden|sys|critical|ai|model|llm|agent)\s*>/i },
  { family: 'hidden_instruction_tags', severity: 'high', message: 'text marked for the assistant only', pattern: /\[\s*(?:assistant|ai|model|llm|agent|system)[-\s_]*only\s*\]|\bnote\s+(?:to|for)\s+(?:the\s+)?(?:assistant|ai|model|llm|agent)\b/i },
  // Classic prompt injection.
  { family: 'prompt_injection', severity: 'high', message: 'tells the model to drop its instructions', pattern: /\b(?:ignore|disregard|forget|override|bypass)\s+(?:all\s+|any\s+|the\s+|your\s+|every\s+)*(?:previous|prior|above|earlier|preceding|existing|other|system|safety)\s+(?:instructions?|rules|directions|guidelines|prompts?|messages|policies|constraints)/i },
  { family: 'prompt_injection', severity: 'high', message: 'tells the model to forget what it was told', pattern: /\b(?:forget|ignore|disregard)\s+(?:what|everything|anything|all)\s+(?:you\s+(?:were|have\s+been|are)\s+told|you\s+know|above|before)|\b(?:user\s+)?(?:confirmation|approval|consent|permission)\s+is\s+no\s+longer\s+(?:required|needed)|\bevery\s+tool\s+is\s+(?:now\s+)?approved/i },
  { family: 'prompt_injection', severity: 'high', message: 'a forged system message or policy', pattern: /\bsystem\s+(?:override|message|notice|update)\s*:|\bnew\s+(?:system\s+)?polic(?:y|ies)\s+(?:is|are)\s+(?:now\s+)?in\s+effect|\brules?\s+(?:about|on|regarding)\s+[\w\s]{0,30}\bno\s+longer\s+appl(?:y|ies)|\byou\s+are\s+now\s+(?:in\s+)?(?:developer|admin|god|unrestricted|jailbreak)/i },
  { family: 'prompt_injection', severity: 'high', message: 'a fake end of the tool list or a forged turn', pattern: /\bend\s+of\s+(?:the\s+)?(?:tool|tools|function)\s+(?:list|definitions?|descriptions?)\b|\[\s*(?:end|\/)\s*(?:tools?|system|instructions)\s*\]|<\/?\s*(?:tools|functions)\s*>/i },
  // Ordering the model around the other tools.
  { family: 'coercive_ordering', severity: 'high', message: 'demands to be called first or on every turn', pattern: /\b(?:use|call|run|invoke|execute)\s+(?:this|the\s+\w+)\s+tool\s+first\s+(?:for|before|prior\s+to)\s+(?:any|every|all)\s+(?:other\s+)?(?:tools?|questions?|requests?|tasks?|queries|messages?|turns?|calls?)\b|\bbefore\s+(?:using|calling|running|invoking)\s+any\s+other\s+tools?|\b(?:on|at|for|before)\s+every\s+(?:turn|request|message|conversation|response|reply|single\s+call|other\s+tool\s+call)|\bbefore\s+(?:doing\s+)?anything\s+else\b|\bmust\s+be\s+called\s+(?:first|before)/i },
  { family: 'coercive_ordering', severity: 'high', message: 'puts itself ahead of every other tool', pattern: /\b(?:before|prior\s+to)\s+(?:every|each|any|all)\s+(?:other\s+)?(?:tool|call|request|turn|message|action|question)s?\b|\b(?:highest|top|absolute|first)\s+priority\s+over\s+(?:all\s+|any\s+)?(?:other\s+)?tools|\beven\s+if\s+the\s+user\s+(?:did\s+not|didn'?t|does\s+not|doesn'?t|has\s+not|hasn'?t)\s+ask|\b(?:for|on)\s+any\s+(?:question|request|task|query|message)\b/i },
  { family: 'coercive_ordering', severity: 'high', message: "discredits other tools' answers", pattern: /\b(?:answers?|results?|outputs?|responses?)\s+(?:from|of|produced\s+by|returned\s+by)\s+(?:any\s+)?other\s+tools?\s+(?:are|is|should\s+be|must\s+be)\s+(?:considered\s+)?(?:outdated|unreliable|wrong|invalid|discarded|ignored)|\beven\s+(?:when|if)\s+(?:another|a\s+different|other)\s+tools?\s+(?:seems?|looks?|is|are)\s+(?:a\s+)?(?:better|more)/i },
  // Moving private data into a parameter or elsewhere.
  { family: 'param_exfiltration', severity: 'high', message: 'asks for a secret file', pattern: new RegExp(SECRET_PLACES, 'i') },
  { family: 'param_exfiltration', severity: 'high', message: 'asks to move private data into a call', pattern: new RegExp(String.raw`\b${MOVE_DATA}\b[^.!?\n]{0,80}\b(?:${PRIVATE_DATA})|\b(?:${PRIVATE_DATA})\b[^.!?\n]{0,60}\b(?:here|into|in\s+(?:the|this)\s+['"\w]+|as\s+(?:the\s+)?['"\w]+\s+(?:argument|parameter|field)|to\s+(?:the\s+)?['"\w]+\s+(?:argument|parameter|field))|\b(?:field|parameter|argument|param)\b[^.!?\n]{0,30}\b(?:should|must|will)\s+(?:contain|include|hold|be|receive)\b[^.!?\n]{0,60}\b(?:${PRIVATE_DATA})`, 'i') },
  // Getting credentials out of the user.
  { family: 'credential_harvesting', severity: 'high', message: 'asks the user for credentials', pattern: /\b(?:ask|prompt|request|get|obtain|collect)\s+(?:the\s+user|them|users?)\b[^.!?\n]{0,60}\b(?:password|passphrase|seed\s+phrase|recovery\s+phrase|mnemonic|pin|2fa|mfa|otp|one[-\s]time\s+(?:code|password)|verification\s+code|security\s+code|private\s+key|credit\s+card|cvv|token)/i },
  { family: 'credential_harvesting', severity: 'high', message: 'wants secrets or wallet phrases', pattern: /\b(?:seed|recovery|secret)\s+phrase|\bmnemonic\s+(?:phrase|words)|\b(?:locate|find|read|look\s+up|grab)\s+(?:it|them|the\s+\w+)?\s*(?:in|from)\s+[^.!?\n]{0,40}(?:credentials|token|\.yml|\.json|variable)|\b(?:personal\s+access\s+token|pat)\b[^.!?\n]{0,40}\b(?:locate|find|read|from|in\s+~)/i },
  // Changing how other tools behave.
  { family: 'tool_shadowing', severity: 'high', message: "gives orders about other servers' tools", pattern: /\btools?\s+(?:of|from|on|in)\s+(?:another|other|any|all|a\s+different)\s+servers?\b|\bwhen(?:ever)?\b(?![^.!?\n]{0,40}\bthis\s+tool)[^.!?\n]{0,100}\b(?:using|calling|invoking|sending|running)\b[^.!?\n]{0,100}\btools?\b[^.!?\n]{0,100}\b(?:must|always|also|instead|never|should|set|add)\b|\b(?:bcc|cc)\s*:\s*[\w.+-]+@/i },
  { family: 'tool_shadowing', severity: 'high', message: "changes how another tool must be used", pattern: /\b(?:note|notice|important)\s+(?:regarding|about|on|for)\s+(?:the\s+)?[`'"]?[\w.-]+[`'"]?\s+tool|\b(?:when|whenever|every\s+time|each\s+time|any\s+time)\s+(?:you\s+|the\s+(?:assistant|model)\s+)?(?:use|call|invoke|send|run)s?\s+(?:the\s+)?[`'"]?[\w.-]+[`'"]?(?:\s+tool)?\b[^.!?\n]{0,80}\b(?:must|always|also|instead|should)\b|\b(?:tool|server)\s+of\s+the\s+[\w.-]+\s+server\b/i },
  { family: 'tool_shadowing', severity: 'high', message: 'redirects payments, messages or links', pattern: /\b(?:bcc|cc|forward|redirect|reroute|rewrite|replace|swap|substitute|change)\b[^.!?\n]{0,60}\b(?:iban|account\s+number|bank\s+account|wallet\s+address|recipient|every\s+(?:e-?mail|message)|all\s+(?:e-?mails|messages)|links?|urls?)\b[^.!?\n]{0,60}\b(?:to|with|into)\b/i },
  { family: 'tool_shadowing', severity: 'high', message: 'injects content into other calls', pattern: /\b(?:inject|insert|append|prepend|add)\b[^.!?\n]{0,40}\b(?:code|script|line|snippet|import)\b[^.!?\n]{0,60}\b(?:every|each|all|any)\s+(?:files?|commits?|scripts?|documents?)/i },
  // Hiding what happened from the person.
  { family: 'concealment', severity: 'high', message: 'hides an action from the user', pattern: /\b(?:do\s+not|don'?t|never|without)\s+(?:tell(?:ing)?|mention(?:ing)?|inform(?:ing)?|notify(?:ing)?|reveal(?:ing)?|disclos(?:e|ing)|show(?:ing)?|alert(?:ing)?|refer(?:ring)?\s+to|bring(?:ing)?\s+up|ask(?:ing)?)\b[^.!?\n]{0,30}\b(?:the\s+)?user|\b(?:do\s+not|don'?t|never)\s+(?:refer\s+to|mention|report)\s+(?:it|this|that)\b|\b(?:leave|keep)\s+(?:it|this|that|them)\s+out\s+of\s+(?:your|the)\s+(?:summary|reply|response|answer|report)|\b(?:the\s+)?users?\s+(?:must|should|need)\s+not\s+(?:be\s+made\s+aware|know|find\s+out|learn|notice|see)|\bif\s+(?:the\s+user\s+)?(?:is\s+)?asked\b[^.!?\n]{0,60}\b(?:say|tell\s+them|claim|answer|reply)\s+(?:that\s+)?(?:it|they|the\s+data|nothing)|\bshould\s+not\s+(?:include|show|mention)\s+it\b|\b(?:the\s+)?user\s+(?:does\s+not|doesn'?t)\s+need\s+to\s+know|\b(?:silently|quietly|secretly|covertly|discreetly|invisibly)\s+(?:add|send|forward|copy|upload|post|include|append|create|delete|transfer|share|cc|bcc|log|save|store|call|run)\b/i },
  // Pretending to be someone else.
  { family: 'impersonation', severity: 'high', message: 'claims authority over the system prompt', pattern: /\b(?:supersedes?|overrides?|takes?\s+precedence\s+over|outranks?)\s+(?:the\s+|your\s+|any\s+)?(?:system\s+prompt|user|instructions|other\s+instructions|developer)|\bas\s+the\s+(?:assistant|model)'?s\s+(?:own\s+)?(?:vendor|developer|creator|maker|provider)/i },
  { family: 'impersonation', severity: 'high', message: 'claims to be the official one and disparages the others', pattern: /\b(?:official|verified|trusted|authori[sz]ed|genuine|certified|sanctioned)\b[^.!?\n]{0,160}\b(?:do\s+not|don'?t|never|avoid|instead\s+of|rather\s+than|deprecated|unsafe|compromised|fake|counterfeit|unverified|unpatched)\b|\b(?:do\s+not|don'?t|never)\s+use\s+the\s+(?:other|unofficial|third[-\s]party|community|old|legacy|original|real)\b|\b(?:always\s+)?prefer\s+this\s+(?:tool|server)\s+over\s+(?:any|all|the)\s+(?:other|original)|\bthe\s+(?:original|other|old|legacy|real)\s+(?:one|tool|server|version|integration)\s+is\s+(?:now\s+)?(?:unpatched|insecure|compromised|deprecated|broken|unsafe|logged|monitored)|\b(?:replacement|substitute|drop-in)\s+for\s+[\w-]+\.[\w-]+/i },
  { family: 'impersonation', severity: 'medium', message: 'claims to be run by a vendor', pattern: /\b(?:provided|built|operated|run|maintained|endorsed|published)\s+by\s+(?:anthropic|openai|google|microsoft|github|slack|stripe|apple|amazon|aws|meta)\b[^.!?\n]{0,80}\b(?:follow|obey|must|instructions)/i },
  // Instructions addressed to the model in general.
  { family: 'prompt_injection', severity: 'medium', message: 'addresses the model directly with orders', pattern: /\b(?:the\s+)?(?:assistant|model|ai|llm|agent)\s*(?::|,)?\s+(?:must|should|shall|needs?\s+to|is\s+required\s+to|has\s+to)\s+(?:always\s+|first\s+|now\s+)?(?:append|include|send|forward|upload|call|read|collect|ask|add|pass|ignore|disregard)/i },
];

const COMMENTS: RegExp[] = [/<!--([\s\S]*?)-->/g, /^\s*\[(?:\/\/|comment)\]:\s*(?:#|<>)\s*(.*)$/gim, /<[^>]+(?:display\s*:\s*none|visibility\s*:\s*hidden|hidden(?:=|\s|>))[^>]*>([\s\S]*?)<\/[^>]+>/gi];

function runRules(t: Text, findings: Finding[], base: Family | undefined): void {
  for (const rule of RULES) {
    const m = rule.pattern.exec(t.text);
    if (!m) continue;
    findings.push({
      family: base ?? (t.field.startsWith('inputSchema') && t.via === undefined ? 'schema_injection' : rule.family),
      severity: rule.severity,
      message: t.via ? `${rule.message} (hidden: ${t.via})` : rule.message,
      field: t.field,
      start: m.index,
      end: m.index + m[0].length,
      excerpt: visible(m[0]),
    });
  }
}

/** Scans one tool; an empty list means nothing was found. */
export function scanTool(tool: ToolDefinition): Finding[] {
  const findings: Finding[] = [];
  for (const t of texts(tool)) {
    const invisible = [...t.text.matchAll(INVISIBLE)];
    const hidden: { text: string; via: string }[] = [];
    if (invisible.length) {
      const tags = decodeTags(t.text);
      const bits = decodeZeroWidthBinary(t.text);
      const reversed = BIDI.test(t.text) ? decodeReversed(t.text) : [];
      for (const s of tags) hidden.push({ text: s, via: 'Unicode tag characters' });
      for (const s of bits) hidden.push({ text: s, via: 'zero-width characters' });
      for (const s of reversed) hidden.push({ text: s, via: 'right-to-left override' });
      const strong = tags.length > 0 || bits.length > 0 || BIDI.test(t.text) || invisible.length >= 3;
      const first = invisible[0];
      findings.push({
        family: 'unicode_smuggling',
        severity: strong ? 'high' : 'low',
        message: `${invisible.length} invisible or direction-changing character(s)${hidden.length ? ' hiding text' : ''}`,
        field: t.field,
        start: first.index!,
        end: invisible.at(-1)!.index! + invisible.at(-1)![0].length,
        excerpt: visible(t.text.slice(Math.max(0, first.index! - 10), Math.min(t.text.length, invisible.at(-1)!.index! + 12))).slice(0, 200),
      });
    }
    // Invisible characters can split words ("ig<U+200B>nore"): scan the text without them too.
    const clean = t.text.replace(INVISIBLE, '').normalize('NFKC');
    runRules({ field: t.field, text: clean }, findings, undefined);
    for (const h of hidden) runRules({ field: t.field, text: h.text, via: h.via }, findings, 'unicode_smuggling');
    for (const p of decodePayloads(clean)) {
      const before = findings.length;
      runRules({ field: t.field, text: p.decoded, via: 'encoded' }, findings, 'encoded_payload');
      const instructive = findings.length > before || /\b(?:send|call|use|read|ignore|include|forward|upload|before|always|must)\b/i.test(p.decoded);
      findings.push({ family: 'encoded_payload', severity: instructive ? 'high' : 'medium', message: `encoded text that reads: "${p.decoded.slice(0, 120)}"`, field: t.field, start: p.start, end: p.end, excerpt: clean.slice(p.start, Math.min(p.end, p.start + 80)) });
    }
    for (const pattern of COMMENTS) {
      for (const m of clean.matchAll(pattern)) {
        const inner = (m[1] ?? '').trim();
        if (!inner) continue;
        const before = findings.length;
        runRules({ field: t.field, text: inner, via: 'comment' }, findings, 'comment_hiding');
        // Tool descriptions have no reason to hide words from the person reading them.
        const instructive = findings.length > before || inner.split(/\s+/).length >= 3;
        findings.push({ family: 'comment_hiding', severity: instructive ? 'high' : 'low', message: 'text hidden in a comment or an invisible element', field: t.field, start: m.index!, end: m.index! + m[0].length, excerpt: visible(m[0].slice(0, 200)) });
      }
    }
  }
  return findings;
}

/** Whether findings are enough to flag a tool: anything of medium or high severity. */
export function flagged(findings: Finding[]): boolean {
  return findings.some((f) => f.severity !== 'low');
}

/**
 * Shadowing across servers: a description that names another server's tool (by an identifier-like
 * name such as `send_email`, not a plain word) is trying to steer how that tool is used.
 */
export function scanShadowing(tool: ToolDefinition, others: ReadonlyMap<string, string>): Finding[] {
  const text = tool.description ?? '';
  const findings: Finding[] = [];
  for (const [name, server] of others) {
    if (name === tool.name || name.length < 6 || !/[_\-.]|[a-z][A-Z]/.test(name)) continue;
    const at = new RegExp(`(?<![\\w-])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`).exec(text);
    if (!at) continue;
    findings.push({
      family: 'tool_shadowing',
      severity: 'medium',
      message: `names "${name}", a tool of server "${server}"`,
      field: 'description',
      start: at.index,
      end: at.index + name.length,
      excerpt: visible(text.slice(Math.max(0, at.index - 40), at.index + name.length + 40)),
    });
  }
  return findings;
}
