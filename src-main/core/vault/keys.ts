// A vault party's identity: an Ed25519 key pair to sign with and an X25519 key pair for key agreement.
// Private keys are PKCS#8 PEM files (0600, in a 0700 folder); public keys travel as raw 32 bytes, base64url.
// Node's own crypto only.
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { ensurePrivateDir, FILE_MODE } from '../state/index.js';

export interface PublicKeys {
  /** Ed25519, raw, base64url. */
  sign: string;
  /** X25519, raw, base64url. */
  agree: string;
}

export interface KeyPairs {
  sign: KeyObject;
  agree: KeyObject;
  public: PublicKeys;
}

export function generateKeys(): KeyPairs {
  const sign = generateKeyPairSync('ed25519').privateKey;
  const agree = generateKeyPairSync('x25519').privateKey;
  return { sign, agree, public: publicOf(sign, agree) };
}

/** Keys from their private halves (PKCS#8 DER or PEM, or a raw 32-byte seed for test vectors). */
export function keysFrom(sign: KeyObject, agree: KeyObject): KeyPairs {
  return { sign, agree, public: publicOf(sign, agree) };
}

function publicOf(sign: KeyObject, agree: KeyObject): PublicKeys {
  return { sign: rawPublic(createPublicKey(sign)), agree: rawPublic(createPublicKey(agree)) };
}

export function rawPublic(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' }) as { x?: string };
  if (!jwk.x) throw new Error('not an Ed25519 or X25519 public key');
  return jwk.x;
}

/** A public key from its raw base64url form; throws on anything that is not 32 bytes. */
export function publicKey(raw: string, kind: 'sign' | 'agree'): KeyObject {
  if (Buffer.from(raw, 'base64url').length !== 32) throw new Error(`a ${kind === 'sign' ? 'signing' : 'key-agreement'} public key is 32 bytes, base64url`);
  return createPublicKey({ key: { kty: 'OKP', crv: kind === 'sign' ? 'Ed25519' : 'X25519', x: raw }, format: 'jwk' });
}

/** A private key from a raw 32-byte seed (RFC 8032 / RFC 7748 test vectors use these). */
export function privateFromSeed(seed: Buffer, kind: 'sign' | 'agree'): KeyObject {
  const prefix = Buffer.from(kind === 'sign' ? '302e020100300506032b657004220420' : '302e020100300506032b656e04220420', 'hex');
  return createPrivateKey({ key: Buffer.concat([prefix, seed]), format: 'der', type: 'pkcs8' });
}

/** What a person compares out of band: SHA-256 over both public keys, in groups of four hex digits. */
export function fingerprint(keys: PublicKeys): string {
  const digest = createHash('sha256').update(`gatehouse-vault-key v1\n${keys.sign}\n${keys.agree}`).digest('hex').slice(0, 32);
  return digest.match(/.{4}/g)!.join(':');
}

/** Writes the pair into `dir` (created 0700): sign.pem, agree.pem (0600) and public.json. */
export async function saveKeys(dir: string, keys: KeyPairs): Promise<void> {
  await ensurePrivateDir(dir);
  const pem = (k: KeyObject) => k.export({ format: 'pem', type: 'pkcs8' }) as string;
  // Never over an existing key: losing it would cut off every party that trusts it.
  for (const [name, text] of [
    ['sign.pem', pem(keys.sign)],
    ['agree.pem', pem(keys.agree)],
  ] as const) {
    await fs.writeFile(path.join(dir, name), text, { mode: FILE_MODE, flag: 'wx' });
  }
  await fs.writeFile(path.join(dir, 'public.json'), `${JSON.stringify(keys.public, null, 2)}\n`, { mode: FILE_MODE, flag: 'wx' });
}

export async function loadKeys(dir: string): Promise<KeyPairs> {
  const read = async (name: string) => {
    try {
      return await fs.readFile(path.join(dir, name), 'utf8');
    } catch {
      throw new Error(`no vault key in ${dir} (${name} missing): make one with \`gatehouse vault keygen\``);
    }
  };
  return keysFrom(createPrivateKey(await read('sign.pem')), createPrivateKey(await read('agree.pem')));
}
