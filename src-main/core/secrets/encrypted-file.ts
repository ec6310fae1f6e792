// An encrypted file of secrets, for machines without a keychain — only when the user opts in. AES-256-GCM
// with a key derived (scrypt) from a passphrase given in an environment variable; the file holds the salt,
// nonce, tag and ciphertext, never a value in the clear.
import { createCipheriv, createDecipheriv, randomBytes, scrypt as scryptCb } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { promisify } from 'node:util';
import { writeFileAtomic } from '../state/index.js';
import { SecretStoreUnavailable, type SecretStore } from './store.js';

const scrypt = promisify(scryptCb) as (password: string, salt: Buffer, keylen: number) => Promise<Buffer>;

interface FileShape {
  version: 1;
  salt: string;
  nonce: string;
  tag: string;
  data: string;
}

export class EncryptedFileSecretStore implements SecretStore {
  readonly description: string;
  private cache: { key: Buffer; salt: Buffer } | undefined;

  constructor(
    private readonly file: string,
    private readonly passphrase: string | undefined,
  ) {
    this.description = `an encrypted file (${file})`;
  }

  private async key(salt: Buffer): Promise<Buffer> {
    if (!this.passphrase) {
      throw new SecretStoreUnavailable('The encrypted secret file needs its passphrase: set GATEHOUSE_SECRETS_PASSPHRASE.');
    }
    if (this.cache?.salt.equals(salt)) return this.cache.key;
    const key = await scrypt(this.passphrase, salt, 32);
    this.cache = { key, salt };
    return key;
  }

  // Values are kept in a Map: a secret's name is the user's text, never a key into a plain object.
  private async read(): Promise<{ values: Map<string, string>; salt: Buffer }> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
        const salt = randomBytes(16);
        await this.key(salt);
        return { values: new Map(), salt };
      }
      throw err;
    }
    let shape: FileShape;
    let salt: Buffer;
    try {
      shape = JSON.parse(text) as FileShape;
      salt = Buffer.from(shape.salt, 'base64');
      if (typeof shape.nonce !== 'string' || typeof shape.tag !== 'string' || typeof shape.data !== 'string' || salt.length === 0) throw new Error('fields missing');
    } catch {
      throw new SecretStoreUnavailable(`${this.file} is damaged (it is not an encrypted Gatehouse secret file): restore it from a backup, or move it away to start an empty one.`);
    }
    const decipher = createDecipheriv('aes-256-gcm', await this.key(salt), Buffer.from(shape.nonce, 'base64'));
    try {
      decipher.setAuthTag(Buffer.from(shape.tag, 'base64'));
      const plain = Buffer.concat([decipher.update(Buffer.from(shape.data, 'base64')), decipher.final()]);
      return { values: new Map(Object.entries(JSON.parse(plain.toString('utf8')) as Record<string, string>)), salt };
    } catch {
      throw new SecretStoreUnavailable(`Cannot open ${this.file}: the passphrase in GATEHOUSE_SECRETS_PASSPHRASE is not the one it was written with.`);
    }
  }

  private async write(values: Map<string, string>, salt: Buffer): Promise<void> {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', await this.key(salt), nonce);
    const data = Buffer.concat([cipher.update(JSON.stringify(Object.fromEntries(values)), 'utf8'), cipher.final()]);
    const shape: FileShape = { version: 1, salt: salt.toString('base64'), nonce: nonce.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    await writeFileAtomic(this.file, JSON.stringify(shape));
  }

  async get(name: string) {
    return (await this.read()).values.get(name);
  }

  async set(name: string, value: string) {
    const { values, salt } = await this.read();
    values.set(name, value);
    await this.write(values, salt);
  }

  async delete(name: string) {
    const { values, salt } = await this.read();
    if (!values.delete(name)) return false;
    await this.write(values, salt);
    return true;
  }

  async list() {
    return [...(await this.read()).values.keys()].sort();
  }
}
