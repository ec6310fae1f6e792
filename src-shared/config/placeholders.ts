// Placeholders in a server's env, args, headers and url: `${keyring:name}` (a secret in Gatehouse's
// secret store) and `${env:NAME}` (a variable of Gatehouse's own environment). They are resolved only
// when the server starts, and the values never written back.

export type PlaceholderKind = 'keyring' | 'env';

export interface Placeholder {
  kind: PlaceholderKind;
  name: string;
}

/** How a server's entry refers to the secret `name` of the secret store. */
export function secretPlaceholder(name: string): string {
  return `\${keyring:${name}}`;
}

/** Any `${…}`, so that a misspelt placeholder is reported instead of passed on literally. */
const ANY = /\$\{([^}]*)\}/g;
const VALID = /^(keyring|env):([A-Za-z0-9_.-]{1,128})$/;

/** The placeholders in one string, and the malformed ones. */
export function scanPlaceholders(text: string): { found: Placeholder[]; malformed: string[] } {
  const found: Placeholder[] = [];
  const malformed: string[] = [];
  for (const m of text.matchAll(ANY)) {
    const valid = VALID.exec(m[1]);
    if (valid) found.push({ kind: valid[1] as PlaceholderKind, name: valid[2] });
    else malformed.push(m[0]);
  }
  return { found, malformed };
}

export function hasPlaceholder(text: string): boolean {
  return text.includes('${');
}

export function replacePlaceholders(text: string, value: (p: Placeholder) => string): string {
  return text.replace(ANY, (whole, inner: string) => {
    const valid = VALID.exec(inner);
    return valid ? value({ kind: valid[1] as PlaceholderKind, name: valid[2] }) : whole;
  });
}

export const PLACEHOLDER_HELP = 'use ${keyring:<name>} for a secret set with `gatehouse secrets set <name>`, or ${env:<NAME>} for an environment variable';
