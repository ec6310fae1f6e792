// The seal on trust.json: an HMAC-SHA256 of its text under a key only Gatehouse holds, so a decision
// written into the file by anything else (a file-writing tool an agent uses, flipping "quarantined" to
// "approved") is told from one a person made. Writing a file is not computing an HMAC: a tool that can
// only write files cannot forge one.
//
// The key is kept in the OS keychain when the user's secrets are (a tool that writes files cannot delete
// it there, so a trust.json with its seal taken out is never mistaken for one from before sealing), and
// in state/trust-key (0600) beside it, which a start without the keychain reads.
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { SecretStore } from '../secrets/index.js';
import { ensureDir, FILE_MODE, writeFileAtomic } from '../state/index.js';

export const TRUST_KEYCHAIN_SERVICE = 'Gatehouse trust';

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
  ) {}

  private get account(): string {
    return `seal-${createHash('sha256').update(this.home).digest('hex').slice(0, 16)}`;
  }

  /** Reads the key, or makes one: the keychain's when it has one, else the file's. */
  async open(): Promise<void> {
    let inKeychain: Buffer | undefined;
    let keychainWorks = false;
    if (this.keychain) {
      try {
        const text = await this.keychain.get(this.account);
        inKeychain = text ? decode(text) : undefined;
        keychainWorks = true;
      } catch {
        // No keychain reachable on this start: the file's key seals and checks alone.
      }
    }
    const inFile = await readKey(this.keyFile);
    if (inKeychain) {
      this.key = inKeychain;
      if (!inFile?.equals(inKeychain)) await writeFileAtomic(this.keyFile, `${inKeychain.toString('base64url')}\n`);
    } else if (inFile) {
      this.key = inFile;
    } else {
      // The first start that seals. Made exclusively: two processes starting at once share one key.
      this.fresh = true;
      const made = randomBytes(32);
      await ensureDir(path.dirname(this.keyFile));
      try {
        await fs.writeFile(this.keyFile, `${made.toString('base64url')}\n`, { flag: 'wx', mode: FILE_MODE });
        this.key = made;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
        // Another process is writing it this very moment.
        for (let tries = 0; !this.key && tries < 40; tries++) {
          this.key = await readKey(this.keyFile);
          if (!this.key) await new Promise((r) => setTimeout(r, 25));
        }
        if (!this.key) throw new Error(`${this.keyFile} holds no key Gatehouse can read; remove it to make a new one (every server is then quarantined until approved again)`);
      }
    }
    if (keychainWorks && !inKeychain) await this.keychain!.set(this.account, this.key.toString('base64url')).catch(() => undefined);
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

async function readKey(file: string): Promise<Buffer | undefined> {
  const text = await fs.readFile(file, 'utf8').catch(() => undefined);
  return text === undefined ? undefined : decode(text.trim());
}

function decode(text: string): Buffer | undefined {
  const key = Buffer.from(text, 'base64url');
  return key.length === 32 ? key : undefined;
}
