// The seal on trust.json (and on the tool cache's saved hashes): an HMAC-SHA256 of its text under a key
// only Gatehouse holds, so a decision written into the file by anything else (a file-writing tool an
// agent uses, flipping "quarantined" to "approved") is told from one a person made. Writing a file is not
// computing an HMAC: a tool that can only write files cannot forge one.
//
// The key is kept in state/trust-key (0600), and in the OS keychain too when the user's secrets are: a
// tool that writes files cannot delete it there, so a trust.json with its seal taken out and the key file
// deleted is never mistaken for one from before sealing. The keychain also holds the generation of the
// last trust.json written: a sealed copy kept from before a block and put back while Gatehouse was not
// running is older than that, and is not believed at the next start.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { KeychainMark, type SecretStore } from '../secrets/index.js';
import { ensureDir, FILE_MODE, writeFileAtomic } from '../state/index.js';

export const TRUST_KEYCHAIN_SERVICE = 'Gatehouse trust';

/** How a home is named in the keychain's accounts: one home's figures never stand for another's. */
export function homeId(home: string): string {
  return createHash('sha256').update(home).digest('hex').slice(0, 16);
}

export class TrustSeal {
  private key: Buffer | undefined;
  /** No key existed before this start: a trust.json without a seal was written before sealing began. */
  fresh = false;

  /**
   * `keychain`: where the key is kept besides `keyFile`, or undefined when the user's secrets are not in
   * the keychain; `home` names this home's key there (one home's key never seals another's file).
   */
  constructor(
    private readonly keyFile: string,
    private readonly keychain: SecretStore | undefined,
    private readonly home: string,
  ) {
    this.generation = new KeychainMark(keychain, `generation-${this.homeId}`);
  }

  /** The generation of the last trust.json written, as the keychain keeps it. */
  private readonly generation: KeychainMark;

  private get homeId(): string {
    return homeId(this.home);
  }

  private get account(): string {
    return `seal-${this.homeId}`;
  }

  /**
   * Reads the key, or makes one. The key file is read first; the keychain is asked at start only when
   * the file is missing (deleted, or no key yet), and its key wins. A key only in the file is given to the
   * keychain once the start is over.
   */
  async open(): Promise<void> {
    this.generation.open();
    const inFile = await readKeyFile(this.keyFile);
    if (inFile) {
      this.key = inFile.key;
      if (!inFile.mirrored && this.keychain) setTimeout(() => void this.mirror(inFile.key), MIRROR_AFTER_MS).unref();
      return;
    }
    let inKeychain: Buffer | undefined;
    try {
      const text = await this.keychain?.get(this.account);
      inKeychain = text ? decode(text) : undefined;
    } catch {
      // No keychain reachable on this start: a key is made for the file alone.
    }
    this.key = inKeychain ?? (await this.make());
    await this.mirror(this.key, inKeychain !== undefined);
  }

  /** Gives the key to the keychain (unless it has it) and notes in the key file that it does. */
  private async mirror(key: Buffer, held = false): Promise<void> {
    if (!this.keychain) return;
    try {
      if (!held) await this.keychain.set(this.account, key.toString('base64url'));
      await writeFileAtomic(this.keyFile, `${key.toString('base64url')} ${MIRRORED}\n`);
    } catch {
      // No keychain reachable: asked again at a later start.
    }
  }

  /** The first start that seals. Made exclusively: two processes starting at once share one key. */
  private async make(): Promise<Buffer> {
    this.fresh = true;
    const made = randomBytes(32);
    await ensureDir(path.dirname(this.keyFile));
    try {
      await fs.writeFile(this.keyFile, `${made.toString('base64url')}\n`, { flag: 'wx', mode: FILE_MODE });
      return made;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    // Another process is writing it this very moment.
    for (let tries = 0; tries < 40; tries++) {
      const key = (await readKeyFile(this.keyFile))?.key;
      if (key) return key;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`${this.keyFile} holds no key Gatehouse can read; remove it to make a new one (every server is then quarantined until approved again)`);
  }

  /**
   * The generation of the last trust.json Gatehouse wrote on this home, as the keychain holds it; undefined
   * without a keychain, or before any was recorded there. An older file is a copy put back.
   */
  lastGeneration(): Promise<number | undefined> {
    return this.generation.atStart();
  }

  /** Gives the keychain the generation just written, off the writer's path (see `KeychainMark.raise`). */
  recordGeneration(generation: number): void {
    this.generation.raise(generation);
  }

  /** Resolves once every generation recorded so far is in the keychain (or could not be put there). */
  recorded(): Promise<void> {
    return this.generation.settled();
  }

  private mac(body: string): Buffer {
    if (!this.key) throw new Error('the trust seal was used before its key was read');
    return createHmac('sha256', this.key).update(body).digest();
  }

  /** A JSON object's text with its seal added, as its last field. */
  sealed(body: string): string {
    return `${body.slice(0, -1)},"seal":"${this.mac(body).toString('base64url')}"}`;
  }

  /**
   * The text without its seal: `unsealed` when there is none, `changed` when the seal is not this key's of
   * what it seals.
   */
  opened(text: string): { body: string; state: 'sealed' | 'unsealed' | 'changed' } {
    const found = SEAL.exec(text);
    if (!found) return { body: text, state: 'unsealed' };
    const body = `${text.slice(0, found.index)}}`;
    const got = Buffer.from(found[1]!, 'base64url');
    const want = this.mac(body);
    return { body, state: got.length === want.length && timingSafeEqual(got, want) ? 'sealed' : 'changed' };
  }
}

/** The seal as `sealed` writes it, at the very end of the text. */
const SEAL = /,"seal":"([A-Za-z0-9_-]*)"\}\s*$/;

/** The key file's second word once the keychain holds the key as well. */
const MIRRORED = 'keychain';
/** A key only in the file is given to the keychain this long after a start, off its path. */
const MIRROR_AFTER_MS = 2_000;

async function readKeyFile(file: string): Promise<{ key: Buffer; mirrored: boolean } | undefined> {
  const words = (await fs.readFile(file, 'utf8').catch(() => '')).trim().split(/\s+/);
  const key = decode(words[0] ?? '');
  return key && { key, mirrored: words[1] === MIRRORED };
}

function decode(text: string): Buffer | undefined {
  const key = Buffer.from(text, 'base64url');
  return key.length === 32 ? key : undefined;
}
