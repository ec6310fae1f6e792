// A person's trust decisions on servers: review (listing a server just long enough to show it), approve,
// block, and the per-call rules. Never reachable from the gateway.
import type { ServerCatalog } from '../../../src-shared/catalog.js';
import type { GatehouseConfig } from '../../../src-shared/config/schema.js';
import { serverEntry } from '../../../src-shared/config/schema.js';
import type { CallRule } from '../../../src-shared/trust.js';
import type { Catalog } from '../catalog/index.js';
import { ConfigError } from '../config/index.js';
import { containerGivesUp } from '../isolation/index.js';
import { namedBy, otherServersTools, reviewedHash, reviewOf, renamesByMeaning, scanAhead, scanResources, type ImagePin, type Selection, type ServerReview, type TrustStore } from '../security/index.js';
import type { UpstreamManager } from '../upstream/index.js';
import type { Visibility } from '../visibility/index.js';
import { launchOf, type Launch } from './launch.js';

const AGENT_SERVER_NOT_STARTED =
  'An agent asked for this server, so Gatehouse has not started it: listing its tools runs its command on this computer. Look at how it starts first; list its tools when you choose to.';

export interface DecisionDeps {
  config: () => GatehouseConfig;
  trust: TrustStore;
  catalog: Catalog;
  upstreams: UpstreamManager;
  visibility: Visibility;
  redact: (text: string) => string;
  /** The sentence model's vectors of some texts, when the model runs (for renames by meaning). */
  embed?: (texts: string[]) => Promise<Float32Array[] | undefined>;
}

export class TrustDecisions {
  constructor(private readonly deps: DecisionDeps) {}

  /**
   * Everything a person needs to decide on a server: every tool, prompt and resource in full, each tool's
   * standing against its pin (with a diff when it changed) and the scanner's findings. A server never
   * listed (or `refresh`) is connected just long enough to list it (in its container when isolated); one an
   * agent asked for, only with `refresh`.
   */
  async review(name: string, refresh = false): Promise<ServerReview & { launch: Launch; notStarted?: string }> {
    const upstream = this.deps.upstreams.get(name);
    if (!upstream) throw notFound(name);
    const { catalog } = this.deps;
    let error: string | undefined;
    // Listing a server runs its command. One an agent asked for runs only when the person asks, having seen
    // how it starts: opening its review is not consent to run what an agent wrote.
    const { trust, origin } = this.deps.trust.describe(name);
    const notStarted = !refresh && !catalog.get(name) && trust !== 'approved' && origin === 'agent' ? AGENT_SERVER_NOT_STARTED : undefined;
    if (refresh || (!catalog.get(name) && !notStarted)) {
      try {
        await upstream.fetchCatalog();
      } catch (err) {
        error = this.deps.redact(err instanceof Error ? err.message : String(err));
      } finally {
        if (!this.deps.visibility.isVisible(name)) await upstream.disconnect('idle');
      }
    }
    const config = serverEntry(this.deps.config(), name);
    if (!config) throw notFound(name);
    const others = otherServersTools(name, catalog.all().flatMap((c) => c.tools.map((t) => ({ server: c.server, name: t.name }))));
    const renames = this.deps.embed ? await renamesByMeaning(name, catalog.get(name), this.deps.trust, this.deps.embed) : undefined;
    await scanAhead(catalog.get(name));
    const review = reviewOf(name, config, catalog.get(name), this.deps.trust, others, renames, containerGivesUp(config, this.deps.config()));
    const launch = launchOf(config, this.deps.config(), this.deps.redact);
    const naming = namedBy(name, catalog.get(name), catalog.all(), this.deps.trust);
    return { ...review, target: this.deps.redact(review.target), launch, ...(naming.length ? { namedBy: naming } : {}), ...(error ? { error } : {}), ...(notStarted ? { notStarted } : {}) };
  }

  /**
   * The hash a review of the server would carry now, without building the review (see `reviewedHash`). It
   * counts the resources the scanner flags, so a listing's resources are read first (each once). `catalog`:
   * the listing to hash, when the caller holds one (an approval pins the listing it compared).
   */
  async reviewed(name: string, catalog = this.known(name)): Promise<string> {
    await scanResources(catalog);
    const config = serverEntry(this.deps.config(), name)!;
    return reviewedHash(config, catalog, containerGivesUp(config, this.deps.config()));
  }

  /**
   * Which approved servers `config` would send back to review, and why; nothing is changed. With `pinning`,
   * as they would be once that pin is recorded (`imagePinned`).
   */
  sentBackBy(config: GatehouseConfig, pinning?: ImagePin): { name: string; reason: string }[] {
    return this.deps.trust.wouldSendBack(config.mcpServers, (_name, server) => containerGivesUp(server, config), pinning);
  }

  /** One server's image is to be named by the digest its tag names now: if approved, it stays so. */
  serverImagePinned(name: string, pin: ImagePin): void {
    this.deps.trust.serverImagePinned(name, pin);
  }

  /** An image of the images table is to be named by the digest its tag names now: what ran it stays approved. */
  imagePinned(pin: ImagePin): void {
    this.deps.trust.imagePinned(pin);
  }

  /**
   * Approves a server (all its tools, prompts and resource templates, or the ones named). With `reviewed`
   * (the hash its review showed), the approval is refused when the server's entry or any definition changed
   * since: the person approves what they saw.
   */
  async approve(name: string, selection?: Selection, reviewed?: string): Promise<void> {
    const catalog = this.known(name);
    if (reviewed !== undefined && reviewed !== (await this.reviewed(name, catalog))) {
      throw new ConfigError(`server "${name}" changed since you reviewed it (how it is started or reached, or its tools, prompts or templates): nothing was approved. Review it again: gatehouse servers review ${name}`, [], 'conflict');
    }
    if (selection) this.requireListed(name, catalog, selection);
    await this.deps.trust.approve(name, catalog, selection);
  }

  /** Blocks a server, or some of its tools, prompts and resource templates. */
  async block(name: string, selection?: Selection): Promise<void> {
    const catalog = this.known(name);
    if (selection) this.requireListed(name, catalog, selection);
    await this.deps.trust.block(name, catalog, selection);
  }

  async setRule(server: string, tool: string | undefined, rule: CallRule | undefined): Promise<void> {
    this.known(server);
    await this.deps.trust.setRule(server, tool, rule);
  }

  async setStrict(strict: boolean): Promise<void> {
    await this.deps.trust.setStrict(strict);
  }

  policy(): { strict: boolean; rules: { server: string; tool?: string; rule: CallRule }[] } {
    const config = this.deps.config();
    return { strict: this.deps.trust.strict, rules: this.deps.trust.rules().filter((r) => serverEntry(config, r.server)) };
  }

  /** A server's standing (cheap: no tool is looked at). */
  trustOf(name: string) {
    return this.deps.trust.serverTrust(name);
  }

  /** A server's standing, and how many of its tools wait for a person. */
  standing(name: string) {
    return { trust: this.deps.trust.serverTrust(name), attention: this.deps.trust.attention(name, this.deps.catalog.get(name)) };
  }

  private known(name: string): ServerCatalog | undefined {
    if (!serverEntry(this.deps.config(), name)) throw notFound(name);
    return this.deps.catalog.get(name);
  }

  private requireListed(name: string, catalog: ServerCatalog | undefined, selection: Selection): void {
    const missing = (kind: string, names: string[] | undefined, listed: { name: string }[] | undefined) =>
      (names ?? []).filter((n) => !listed?.some((x) => x.name === n)).map((n) => `${kind} "${n}"`);
    const unknown = [
      ...missing('tool', selection.tools, catalog?.tools),
      ...missing('prompt', selection.prompts, catalog?.prompts),
      ...missing('resource template', selection.templates, catalog?.resourceTemplates),
      ...missing('resource', selection.resources, catalog?.resources.map((r) => ({ name: r.uri }))),
    ];
    if (unknown.length) throw new ConfigError(`server "${name}" lists no ${unknown.join(', ')}: review it first (gatehouse servers review ${name})`, [], 'not_found');
  }
}

function notFound(name: string): ConfigError {
  return new ConfigError(`no server named "${name}"`, [], 'not_found');
}
