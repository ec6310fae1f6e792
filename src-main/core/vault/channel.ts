// The channel between Gatehouse and a remote vault: a signed handshake (each side proves its Ed25519 key
// over the whole transcript), X25519 agreement on fresh and on long-term keys, HKDF-SHA256 for one key per
// direction, then AES-256-GCM records with strictly increasing counters. Written down, step by step, in
// docs/vault-channel.md. Node's own crypto only.
import { createCipheriv, createDecipheriv, createHash, createPublicKey, diffieHellman, generateKeyPairSync, hkdfSync, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import { publicKey, rawPublic, type KeyPairs, type PublicKeys } from './keys.js';

export const SESSION_MS = 30 * 60_000;
const LABEL = 'gatehouse-vault v1';

export interface ClientHello {
  v: 1;
  client: PublicKeys;
  /** The client's fresh X25519 key, raw base64url. */
  ephemeral: string;
  nonce: string;
}

export interface VaultHello {
  v: 1;
  vault: PublicKeys;
  ephemeral: string;
  nonce: string;
  session: string;
  expiresAt: number;
  /** Ed25519 by the vault over transcript 1. */
  signature: string;
}

export interface ClientFinish {
  session: string;
  /** Ed25519 by the client over transcript 2. */
  signature: string;
}

export interface SealedRecord {
  session: string;
  seq: number;
  data: string;
}

/** Why a handshake or a record was refused; `code` tells a program what to do (re-handshake on `session_expired`). */
export class ChannelError extends Error {
  constructor(
    readonly code: 'bad_handshake' | 'unknown_client' | 'wrong_vault' | 'bad_signature' | 'unknown_session' | 'session_expired' | 'replayed' | 'tampered',
    message: string,
  ) {
    super(message);
    this.name = 'ChannelError';
  }
}

/** What each side may fix for a test vector (fresh randomness and time otherwise). */
export interface Fixed {
  ephemeral?: KeyObject;
  nonce?: Buffer;
  session?: Buffer;
  now?: () => number;
}

const b64 = (b: Buffer) => b.toString('base64url');
const unb64 = (s: string) => Buffer.from(s, 'base64url');

function sha256(...parts: (string | Buffer)[]): Buffer {
  const h = createHash('sha256');
  for (const p of parts) {
    const bytes = typeof p === 'string' ? Buffer.from(p, 'utf8') : p;
    // Each part is length-prefixed, so no two different transcripts hash alike.
    const len = Buffer.alloc(4);
    len.writeUInt32BE(bytes.length);
    h.update(len).update(bytes);
  }
  return h.digest();
}

/** Transcript 1: everything both hellos say, in a fixed order. */
function transcript1(c: ClientHello, v: Omit<VaultHello, 'signature'>): Buffer {
  return sha256(LABEL, 'transcript-1', c.client.sign, c.client.agree, c.ephemeral, c.nonce, v.vault.sign, v.vault.agree, v.ephemeral, v.nonce, v.session, String(v.expiresAt));
}

function transcript2(t1: Buffer, vaultSignature: string): Buffer {
  return sha256(LABEL, 'transcript-2', t1, vaultSignature);
}

/** One key per direction from both agreements, salted with both nonces, bound to transcript 1. */
function sessionKeys(ephemeralShared: Buffer, staticShared: Buffer, c: ClientHello, v: Omit<VaultHello, 'signature'>, t1: Buffer): { c2v: Buffer; v2c: Buffer } {
  const okm = Buffer.from(hkdfSync('sha256', Buffer.concat([ephemeralShared, staticShared]), Buffer.concat([unb64(c.nonce), unb64(v.nonce)]), Buffer.concat([Buffer.from(`${LABEL} keys`), t1]), 64));
  return { c2v: okm.subarray(0, 32), v2c: okm.subarray(32) };
}

function freshEphemeral(fixed?: Fixed): KeyObject {
  return fixed?.ephemeral ?? generateKeyPairSync('x25519').privateKey;
}

function checkHello(c: ClientHello): void {
  const ok = c && c.v === 1 && typeof c.ephemeral === 'string' && typeof c.nonce === 'string' && unb64(c.nonce).length === 16 && typeof c.client?.sign === 'string' && typeof c.client?.agree === 'string';
  if (!ok) throw new ChannelError('bad_handshake', 'not a Gatehouse vault handshake (version 1)');
}

/** The client's side of the handshake. The vault's public keys are pinned: any other vault is refused. */
export class ClientHandshake {
  private readonly ephemeral: KeyObject;
  readonly hello: ClientHello;

  constructor(
    private readonly me: KeyPairs,
    private readonly vault: PublicKeys,
    private readonly fixed?: Fixed,
  ) {
    this.ephemeral = freshEphemeral(fixed);
    this.hello = { v: 1, client: me.public, ephemeral: rawPublic(createPublicKey(this.ephemeral)), nonce: b64(fixed?.nonce ?? randomBytes(16)) };
  }

  finish(reply: VaultHello): { finish: ClientFinish; session: Session } {
    if (!reply || reply.v !== 1 || typeof reply.signature !== 'string') throw new ChannelError('bad_handshake', 'the vault answered with something that is not a handshake');
    if (reply.vault?.sign !== this.vault.sign || reply.vault?.agree !== this.vault.agree) {
      throw new ChannelError('wrong_vault', 'the vault presented keys other than the ones configured: it is not the vault you set up (compare fingerprints)');
    }
    const { signature, ...unsigned } = reply;
    const t1 = transcript1(this.hello, unsigned);
    if (!verify(null, t1, publicKey(this.vault.sign, 'sign'), unb64(signature))) throw new ChannelError('bad_signature', "the vault's signature over the handshake does not verify");
    const keys = sessionKeys(
      diffieHellman({ privateKey: this.ephemeral, publicKey: publicKey(reply.ephemeral, 'agree') }),
      diffieHellman({ privateKey: this.me.agree, publicKey: publicKey(this.vault.agree, 'agree') }),
      this.hello,
      unsigned,
      t1,
    );
    const finish = { session: reply.session, signature: b64(sign(null, transcript2(t1, signature), this.me.sign)) };
    return { finish, session: new Session(reply.session, reply.expiresAt, keys.c2v, keys.v2c, 'client', this.fixed?.now) };
  }
}

/** The vault's side: answers hellos from authorized clients, and opens a session on a valid finish. */
export class VaultHandshakes {
  private readonly pending = new Map<string, { t1: Buffer; signature: string; client: PublicKeys; name: string; session: Session; at: number }>();

  constructor(
    private readonly me: KeyPairs,
    /** The name of the client with this signing key, when it is authorized. */
    private readonly authorized: (client: PublicKeys) => string | undefined,
    private readonly fixed?: Fixed,
  ) {}

  private now(): number {
    return this.fixed?.now?.() ?? Date.now();
  }

  hello(c: ClientHello): VaultHello {
    checkHello(c);
    const name = this.authorized(c.client);
    if (!name) throw new ChannelError('unknown_client', 'this client key is not authorized on the vault: add it with `gatehouse vault authorize`');
    const ephemeral = freshEphemeral(this.fixed);
    const unsigned = {
      v: 1 as const,
      vault: this.me.public,
      ephemeral: rawPublic(createPublicKey(ephemeral)),
      nonce: b64(this.fixed?.nonce ?? randomBytes(16)),
      session: b64(this.fixed?.session ?? randomBytes(16)),
      expiresAt: this.now() + SESSION_MS,
    };
    const t1 = transcript1(c, unsigned);
    const signature = b64(sign(null, t1, this.me.sign));
    const keys = sessionKeys(
      diffieHellman({ privateKey: ephemeral, publicKey: publicKey(c.ephemeral, 'agree') }),
      diffieHellman({ privateKey: this.me.agree, publicKey: publicKey(c.client.agree, 'agree') }),
      c,
      unsigned,
      t1,
    );
    // Half-open handshakes do not pile up: those older than a minute go.
    for (const [id, p] of this.pending) if (this.now() - p.at > 60_000) this.pending.delete(id);
    this.pending.set(unsigned.session, { t1, signature, client: c.client, name, session: new Session(unsigned.session, unsigned.expiresAt, keys.v2c, keys.c2v, 'vault', this.fixed?.now), at: this.now() });
    return { ...unsigned, signature };
  }

  /** The session, once the client has proved its key over transcript 2. */
  finish(f: ClientFinish): { session: Session; client: string } {
    const p = typeof f?.session === 'string' ? this.pending.get(f.session) : undefined;
    if (!p) throw new ChannelError('unknown_session', 'no handshake under way for this session: start again');
    this.pending.delete(f.session);
    if (typeof f.signature !== 'string' || !verify(null, transcript2(p.t1, p.signature), publicKey(p.client.sign, 'sign'), unb64(f.signature))) {
      throw new ChannelError('bad_signature', "the client's signature over the handshake does not verify");
    }
    return { session: p.session, client: p.name };
  }
}

/**
 * One direction's key to seal with and the other's to open with. Each record carries its number; a record
 * is opened only if its number is the next one (so a replayed or reordered record is refused), and only
 * until the session expires.
 */
export class Session {
  private sent = 0;
  private received = 0;

  constructor(
    readonly id: string,
    readonly expiresAt: number,
    private readonly sealKey: Buffer,
    private readonly openKey: Buffer,
    private readonly side: 'client' | 'vault',
    private readonly now: () => number = Date.now,
  ) {}

  get expired(): boolean {
    return this.now() >= this.expiresAt;
  }

  seal(plaintext: string | Buffer): SealedRecord {
    if (this.expired) throw new ChannelError('session_expired', 'the session expired: handshake again');
    const seq = ++this.sent;
    const { iv, aad } = this.framing(this.side, seq);
    const cipher = createCipheriv('aes-256-gcm', this.sealKey, iv);
    cipher.setAAD(aad);
    const data = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
    return { session: this.id, seq, data: b64(data) };
  }

  open(record: SealedRecord): Buffer {
    if (record?.session !== this.id) throw new ChannelError('unknown_session', 'a record for another session');
    if (this.expired) throw new ChannelError('session_expired', 'the session expired: handshake again');
    if (!Number.isSafeInteger(record.seq) || record.seq <= this.received) throw new ChannelError('replayed', `record ${record.seq} was already received (or is out of order): refused`);
    if (record.seq !== this.received + 1) throw new ChannelError('replayed', `record ${record.seq} arrived before record ${this.received + 1}: refused`);
    const bytes = unb64(String(record.data));
    if (bytes.length < 16) throw new ChannelError('tampered', 'a record too short to carry its tag');
    const { iv, aad } = this.framing(this.side === 'client' ? 'vault' : 'client', record.seq);
    const decipher = createDecipheriv('aes-256-gcm', this.openKey, iv);
    decipher.setAAD(aad);
    decipher.setAuthTag(bytes.subarray(bytes.length - 16));
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(bytes.subarray(0, bytes.length - 16)), decipher.final()]);
    } catch {
      throw new ChannelError('tampered', 'a record failed its integrity check: refused');
    }
    this.received = record.seq;
    return plain;
  }

  /** The nonce is the sender's direction and the record number (never reused under one key); both are also authenticated. */
  private framing(from: 'client' | 'vault', seq: number): { iv: Buffer; aad: Buffer } {
    const iv = Buffer.alloc(12);
    iv.writeUInt32BE(from === 'client' ? 1 : 2, 0);
    iv.writeBigUInt64BE(BigInt(seq), 4);
    return { iv, aad: Buffer.concat([Buffer.from(`${LABEL} record\0${this.id}\0`), iv]) };
  }
}
