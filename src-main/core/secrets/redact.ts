// Scrubs secrets from text before it reaches a log, an event or an error message: every known secret
// value (the values of servers' env and headers), and obvious token shapes.

const TOKEN_SHAPES: [RegExp, string][] = [
  [/\b(Bearer|Basic|Token)\s+[A-Za-z0-9._~+/=-]{8,}/gi, '$1 [redacted]'],
  [/\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|sk-[A-Za-z0-9_-]{16,}|xox[abprs]-[A-Za-z0-9-]{10,}|AKIA[0-9A-Z]{16})\b/g, '[redacted]'],
  // A URL's password (a database URL in a server's arguments): scheme://user:password@host.
  [/\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:)[^\s@/]+@/gi, '$1[redacted]@'],
  // The value of a flag or variable whose name ends in what it is: --api-key X, --password=X, API_TOKEN=X
  // (not --max-tokens 100 or TOKEN_FILE=path).
  [/(?<![\w-])(--?[a-z0-9_-]*?(?:password|passwd|secret|token|api[-_]?key|access[-_]?key|private[-_]?key)(?:=|\s+))(?!\[redacted\]|-)[^\s"',]+/gi, '$1[redacted]'],
  [/\b([A-Z0-9_]*(?:PASSWORD|SECRET|TOKEN|API_KEY|ACCESS_KEY|PRIVATE_KEY)=)(?!\[redacted\])[^\s"',]+/g, '$1[redacted]'],
];

/** Values shorter than this are not treated as secrets (they would match ordinary words). */
const MIN_SECRET_LENGTH = 6;

/**
 * The forms a secret takes in text Gatehouse prints: as it is, percent-encoded (in a URL's query or path,
 * or as a form value) and base64 (a Basic credential, a header a server echoes).
 */
function writtenAs(value: string): string[] {
  const forms = [value, encodeURIComponent(value), encodeURI(value), Buffer.from(value).toString('base64'), Buffer.from(value).toString('base64url')];
  try {
    forms.push(new URL(`http://h/?${value}`).search.slice(1), new URL(`http://h/${value}`).pathname.slice(1));
  } catch {
    // not a URL's part: the forms above cover it
  }
  return forms.filter((f) => f.length >= MIN_SECRET_LENGTH);
}

export class Redactor {
  private configured: string[] = [];
  private readonly learned = new Set<string>();
  private values: string[] = [];

  /** Replaces the values written in the config (servers' env and header values). */
  setConfigured(values: Iterable<string>): void {
    this.configured = [...values];
    this.rebuild();
  }

  /** Adds values that became known at run time (resolved secrets); they stay known until exit. */
  learn(values: Iterable<string>): void {
    for (const v of values) this.learned.add(v);
    this.rebuild();
  }

  private rebuild(): void {
    const known = [...this.configured, ...this.learned].filter((v) => v.length >= MIN_SECRET_LENGTH);
    this.values = [...new Set(known.flatMap(writtenAs))].sort((a, b) => b.length - a.length);
  }

  redact(text: string): string {
    let out = text;
    for (const value of this.values) if (out.includes(value)) out = out.split(value).join('[redacted]');
    for (const [pattern, replacement] of TOKEN_SHAPES) out = out.replace(pattern, replacement);
    return out;
  }
}
