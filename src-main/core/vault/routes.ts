// What a route allows and adds: URL globs checked against the whole URL (scheme, host and path; `*` within a
// segment, `**` across), the headers it puts on a request with its secrets filled in, and the scrubbing of
// those secrets from whatever comes back. Written here because path-glob libraries treat "//" and ":" in a
// URL as path syntax; the grammar is two wildcards.
import type { VaultRoute } from './config.js';

function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      out += '.*';
      i++;
    } else if (c === '*') out += '[^/?#]*';
    else out += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

/** The URL as compared: parsed and normalised (so `..`, case in the host or a default port cannot slip past). */
function normalise(url: string): string | undefined {
  try {
    const u = new URL(url);
    if (u.protocol !== 'https:' && u.protocol !== 'http:') return undefined;
    if (u.username || u.password) return undefined;
    return `${u.protocol}//${u.host}${u.pathname}${u.search}`;
  } catch {
    return undefined;
  }
}

export function allows(route: VaultRoute, url: string): boolean {
  const normal = normalise(url);
  if (!normal) return false;
  const withoutQuery = normal.replace(/[?#].*$/, '');
  return route.allowedEndpoints.some((glob) => {
    const re = globToRegExp(glob);
    return re.test(normal) || re.test(withoutQuery);
  });
}

export function routeFor(routes: VaultRoute[], url: string): VaultRoute | undefined {
  return routes.find((r) => allows(r, url));
}

/** The names a route's headers ask for. */
export function placeholdersIn(route: VaultRoute): string[] {
  return [...new Set(Object.values(route.headers).flatMap((v) => [...v.matchAll(/\$\{([A-Za-z0-9_]+)\}/g)].map((m) => m[1])))];
}

/** The route's headers with every `${NAME}` filled from `secret(NAME)`; a missing secret is an error naming it. */
export async function headersFor(route: VaultRoute, secret: (name: string) => Promise<string | undefined>): Promise<{ headers: Record<string, string>; values: string[] }> {
  const values: string[] = [];
  const headers: Record<string, string> = {};
  for (const [name, template] of Object.entries(route.headers)) {
    let filled = template;
    for (const placeholder of placeholdersIn({ ...route, headers: { [name]: template } })) {
      const value = await secret(placeholder);
      if (!value) throw new Error(`route "${route.name}" needs ${placeholder}, which the vault does not have: set it where the vault reads it`);
      values.push(value);
      filled = filled.replaceAll(`\${${placeholder}}`, value);
    }
    headers[name] = filled;
  }
  return { headers, values };
}

/** `text` with every secret value (and its base64 and URL-encoded forms) replaced. */
export function scrub(text: string, values: string[]): string {
  let out = text;
  for (const v of values.filter((x) => x.length >= 4)) {
    for (const form of new Set([v, Buffer.from(v).toString('base64'), encodeURIComponent(v)])) out = out.split(form).join('[removed by the vault]');
  }
  return out;
}
