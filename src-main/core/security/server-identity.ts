// How a server is started or reached, as a hash an approval records: a change to it sends an approved
// server back to review. Kept apart from the trust store so the review can hash an entry the same way.
import { createHash } from 'node:crypto';
import type { ServerConfig } from '../../../src-shared/config/schema.js';
import { serverKind } from '../../../src-shared/config/schema.js';
import { scanPlaceholders } from '../../../src-shared/config/placeholders.js';
import { launchEnv } from './launch-env.js';
import { canonicalJson } from './pins.js';

/** What an approval holds of how a server was started or reached. */
export interface ApprovedIdentity {
  /** Hash of how the server is started or reached; a change sends it back to quarantine. */
  identity: string;
  /** Which way `identity` was made (`IDENTITY_ERAS`); absent in records from before the third. */
  identityEra?: number;
  /**
   * What its container gives up (see `containerGivesUp`), as when approved; while not approved, as now.
   * Absent for a server Gatehouse does not start in one of its containers, and in older records.
   */
  container?: string[];
  /**
   * A person is pinning the image its entry names by a tag to the digest the tag names now: the entry that
   * names it so is the one approved, until its identity says it is in force.
   */
  imagePin?: ImagePin;
}

/** An image named by a tag (`from`) and the same image named by the digest the tag names now (`image`). */
export interface ImagePin {
  from: string;
  image: string;
}

/**
 * How identities are made, oldest first: 1 held environment names only; 2 added the values of the
 * variables that change what runs; 3, the secrets and variables a server is given and its headers' names.
 * An identity of an older era that the entry as it is still matches was approved as it is (see `TrustStore.sync`).
 */
const IDENTITY_ERAS = [1, 2, 3] as const;
type IdentityEra = (typeof IDENTITY_ERAS)[number];
export const IDENTITY_ERA: IdentityEra = 3;

/**
 * How a server is started or reached. Environment names, not values (a rotated key is not a new server), but
 * for the variables that change what runs (a loader, a package index, a proxy) or where it sends things (an
 * address): their values as written. Which secrets and variables of Gatehouse's it is given, wherever
 * (so an entry made to send the key kept for another server is one to review again), and which headers.
 */
export function serverIdentity(config: ServerConfig, era: IdentityEra = IDENTITY_ERA): string {
  const headers = Object.keys(config.headers ?? {}).sort();
  const given = era >= 3 ? placeholdersGiven(config) : [];
  const identity = {
    kind: serverKind(config),
    command: config.command,
    args: config.args,
    cwd: config.cwd,
    url: config.url,
    env: Object.keys(config.env ?? {}).sort(),
    launchEnv: era >= 2 ? launchEnv(config.env) : undefined,
    // Left out when empty, so an entry that has neither keeps the identity it had.
    given: given.length ? given : undefined,
    headers: era >= 3 && headers.length ? headers : undefined,
    isolation: config.isolation,
  };
  return createHash('sha256').update(canonicalJson(identity)).digest('hex');
}

export const IDENTITY_CHANGED = 'its command, URL, environment, headers or the secrets it is given changed since approval';

/**
 * Whether a record's identity still holds for the entry: the same; carried over (a record made before
 * identities held all they hold now: the entry as it is now is the one approved, as far as its identity
 * could tell, and from then on any change counts); or changed.
 */
function identityVerdict(record: ApprovedIdentity, config: ServerConfig, identity = serverIdentity(config)): 'same' | 'carried' | 'changed' {
  if (record.identityEra === IDENTITY_ERA) return record.identity === identity ? 'same' : 'changed';
  return record.identity === identity || identityOfOlderEra(record.identity, config) ? 'carried' : 'changed';
}

/**
 * `identityVerdict`, and `pinned` when the entry is the approved one but for the image a person is pinning
 * (`imagePin`): the same server, in the same image, named by its digest.
 */
export function verdictOf(record: ApprovedIdentity, config: ServerConfig, identity = serverIdentity(config)): 'same' | 'carried' | 'changed' | 'pinned' {
  const verdict = identityVerdict(record, config, identity);
  if (verdict !== 'changed' || !record.imagePin) return verdict;
  const { from, image } = record.imagePin;
  const args = config.args?.map((arg) => (arg === image ? from : arg));
  const candidates: ServerConfig[] = [{ ...config, ...(args ? { args } : {}) }];
  if (typeof config.isolation === 'object' && config.isolation.image === image) {
    // The entry named the tag itself, or no image: its container ran the images table's, the tag pinned
    // (so its approval records the digest), and the pin wrote the entry an image of its own.
    const { image: _pinned, ...rest } = config.isolation;
    candidates.push({ ...config, isolation: { ...rest, image: from } });
    if (record.container?.includes(`image:${image}`)) {
      const keys = Object.keys(rest);
      const unnamed = keys.length === 0 ? undefined : keys.length === 1 && rest.enabled === true ? true : rest;
      candidates.push({ ...config, isolation: rest }, { ...config, isolation: unnamed });
    }
  }
  return candidates.some((c) => identityVerdict(record, c) !== 'changed') ? 'pinned' : 'changed';
}

/** Was a record's identity made by an older era from this very entry? */
function identityOfOlderEra(identity: string, config: ServerConfig): boolean {
  return IDENTITY_ERAS.some((era) => era < IDENTITY_ERA && identity === serverIdentity(config, era));
}

/** Every `${keyring:…}` and `${env:…}` in the entry's environment, headers and OAuth client secret, sorted. */
function placeholdersGiven(config: ServerConfig): string[] {
  const texts = [...Object.values(config.env ?? {}), ...Object.values(config.headers ?? {}), config.oauth?.clientSecret ?? ''];
  return [...new Set(texts.flatMap((text) => scanPlaceholders(text).found.map((p) => `${p.kind}:${p.name}`)))].sort();
}
