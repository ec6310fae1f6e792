// The vault channel: the primitives as Gatehouse calls them, against their RFCs' own test vectors; the
// handshake and the first record against the vector in docs/vault-channel.md; and every refusal.
import { createCipheriv, createPublicKey, diffieHellman, hkdfSync, sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ChannelError, ClientHandshake, fingerprint, generateKeys, keysFrom, privateFromSeed, SESSION_MS, VaultHandshakes, type Fixed, type KeyPairs } from './index.js';
import { publicKey, rawPublic } from './keys.js';

const hex = (s: string) => Buffer.from(s.replace(/\s+/g, ''), 'hex');
const b64hex = (s: string) => Buffer.from(s, 'base64url').toString('hex');

describe('the primitives, as called here, against their RFC vectors', () => {
  it('Ed25519 (RFC 8032, test 1): key from seed, raw public key, signature', () => {
    const key = privateFromSeed(hex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60'), 'sign');
    expect(b64hex(rawPublic(createPublicKey(key)))).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
    expect(sign(null, Buffer.alloc(0), key).toString('hex')).toBe(
      'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
    );
  });

  it('X25519 (RFC 7748, section 6.1): both public keys and the shared secret', () => {
    const alice = privateFromSeed(hex('77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a'), 'agree');
    const bob = privateFromSeed(hex('5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb'), 'agree');
    expect(b64hex(rawPublic(createPublicKey(alice)))).toBe('8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a');
    expect(b64hex(rawPublic(createPublicKey(bob)))).toBe('de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f');
    const shared = diffieHellman({ privateKey: alice, publicKey: publicKey(rawPublic(createPublicKey(bob)), 'agree') });
    expect(shared.toString('hex')).toBe('4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742');
  });

  it('HKDF-SHA256 (RFC 5869, test case 1)', () => {
    const okm = Buffer.from(hkdfSync('sha256', Buffer.alloc(22, 0x0b), hex('000102030405060708090a0b0c'), hex('f0f1f2f3f4f5f6f7f8f9'), 42));
    expect(okm.toString('hex')).toBe('3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865');
  });

  it('AES-256-GCM (the GCM specification, test case 14)', () => {
    const cipher = createCipheriv('aes-256-gcm', Buffer.alloc(32), Buffer.alloc(12));
    const c = Buffer.concat([cipher.update(Buffer.alloc(16)), cipher.final()]);
    expect(c.toString('hex')).toBe('cea7403d4d606b6e074ec5d3baf39d18');
    expect(cipher.getAuthTag().toString('hex')).toBe('d0d1c8a799996bf0265b98b5d48ab919');
  });
});

const seed = (b: number) => Buffer.alloc(32, b);
const NOW = 1_800_000_000_000;

function fixedParties(now: () => number = () => NOW) {
  const client = keysFrom(privateFromSeed(seed(1), 'sign'), privateFromSeed(seed(2), 'agree'));
  const vault = keysFrom(privateFromSeed(seed(3), 'sign'), privateFromSeed(seed(4), 'agree'));
  const clientFixed: Fixed = { ephemeral: privateFromSeed(seed(5), 'agree'), nonce: Buffer.alloc(16, 6), now };
  const vaultFixed: Fixed = { ephemeral: privateFromSeed(seed(7), 'agree'), nonce: Buffer.alloc(16, 8), session: Buffer.alloc(16, 9), now };
  return { client, vault, clientFixed, vaultFixed };
}

function connect(client: KeyPairs, vault: KeyPairs, options: { authorized?: string[]; expectVault?: KeyPairs; now?: () => number } = {}) {
  const authorized = options.authorized ?? [client.public.sign];
  const vaultSide = new VaultHandshakes(vault, (c) => (authorized.includes(c.sign) ? 'laptop' : undefined), options.now ? { now: options.now } : undefined);
  const clientSide = new ClientHandshake(client, (options.expectVault ?? vault).public, options.now ? { now: options.now } : undefined);
  const reply = vaultSide.hello(clientSide.hello);
  const { finish, session } = clientSide.finish(reply);
  const opened = vaultSide.finish(finish);
  return { client: session, vault: opened.session, name: opened.client };
}

async function refusedWith(code: ChannelError['code'], work: () => unknown): Promise<void> {
  try {
    await work();
  } catch (err) {
    expect(err).toBeInstanceOf(ChannelError);
    expect((err as ChannelError).code).toBe(code);
    return;
  }
  throw new Error(`expected a refusal (${code})`);
}

describe('the handshake and records (the vector in docs/vault-channel.md)', () => {
  it('gives the documented messages and first record for the documented keys, nonces and time', () => {
    const { client, vault, clientFixed, vaultFixed } = fixedParties();
    expect(client.public).toEqual({ sign: 'iojj3XQJ8ZX9UtstPLpdcspnCb8dlBIb83SIAbQPb1w', agree: 'zo060cy2M-x7cMF4FKXHbs0CloUFDTRHRboFhw5YfVk' });
    expect(fingerprint(vault.public)).toBe('0bbc:f11c:9497:6d00:0e54:d854:d12f:b065');
    const c = new ClientHandshake(client, vault.public, clientFixed);
    const v = new VaultHandshakes(vault, () => 'laptop', vaultFixed);
    const reply = v.hello(c.hello);
    expect(reply.ephemeral).toBe('E75P6uryBMf9M1j8nAByGIHRdCeBKCJ-xnTzf3_pe20');
    expect(reply.expiresAt).toBe(NOW + SESSION_MS);
    expect(reply.signature).toBe('y9_Cgt5E0etQdrRC1mO-6h09MMo91vcGrCmthrqSHK70h3zRRoUPbSWTxgCa-NYoqjljur7P_xfl9-c7WhNQCw');
    const { finish, session } = c.finish(reply);
    expect(finish.signature).toBe('769i9BekAergtogFCNM0zTVIbtT83_VMQCoqjr8H6YSGWEBNbMgLD_y38tusH1yjLTNJPA6WVof4p32W1AAHAg');
    const record = session.seal('{"hello":"vault"}');
    expect(record).toEqual({ session: 'CQkJCQkJCQkJCQkJCQkJCQ', seq: 1, data: 'Y8dHM9yL8OjLpWH1b_pXcgEmet7DokyFw4TUsYf2cRYl' });
    const opened = v.finish(finish);
    expect(opened.client).toBe('laptop');
    expect(opened.session.open(record).toString()).toBe('{"hello":"vault"}');
  });

  it('carries records both ways with fresh keys each time', () => {
    const { client, vault } = connect(generateKeys(), generateKeys());
    expect(vault.open(client.seal('ping')).toString()).toBe('ping');
    expect(client.open(vault.seal('pong')).toString()).toBe('pong');
    expect(vault.open(client.seal('again')).toString()).toBe('again');
  });
});

describe('refusals', () => {
  it('an unknown client key, and a vault with other keys than the ones configured', async () => {
    const client = generateKeys();
    const vault = generateKeys();
    await refusedWith('unknown_client', () => connect(client, vault, { authorized: [generateKeys().public.sign] }));
    await refusedWith('wrong_vault', () => connect(client, vault, { expectVault: generateKeys() }));
  });

  it('a signature that does not cover the transcript, from either side', async () => {
    const client = generateKeys();
    const vault = generateKeys();
    const v = new VaultHandshakes(vault, () => 'laptop');
    const c = new ClientHandshake(client, vault.public);
    const reply = v.hello(c.hello);
    await refusedWith('bad_signature', () => c.finish({ ...reply, nonce: Buffer.alloc(16, 1).toString('base64url') }));
    const again = new ClientHandshake(client, vault.public);
    const { finish } = again.finish(v.hello(again.hello));
    await refusedWith('bad_signature', () => v.finish({ ...finish, signature: Buffer.alloc(64).toString('base64url') }));
  });

  it('a tampered, a replayed and a reordered record; the session works on for records in order', async () => {
    const { client, vault } = connect(generateKeys(), generateKeys());
    const first = client.seal('one');
    const bytes = Buffer.from(first.data, 'base64url');
    bytes[0] ^= 1;
    await refusedWith('tampered', () => vault.open({ ...first, data: bytes.toString('base64url') }));
    expect(vault.open(first).toString()).toBe('one');
    await refusedWith('replayed', () => vault.open(first));
    const second = client.seal('two');
    const third = client.seal('three');
    await refusedWith('replayed', () => vault.open(third));
    expect(vault.open(second).toString()).toBe('two');
    expect(vault.open(third).toString()).toBe('three');
    // A record relabelled with another number fails its check too.
    client.seal('four');
    const fifth = client.seal('five');
    await refusedWith('tampered', () => vault.open({ ...fifth, seq: 4 }));
  });

  it('a session after 30 minutes, on both sides', async () => {
    let now = NOW;
    const { client, vault } = connect(generateKeys(), generateKeys(), { now: () => now });
    const record = client.seal('before');
    now += SESSION_MS;
    await refusedWith('session_expired', () => vault.open(record));
    await refusedWith('session_expired', () => client.seal('after'));
  });
});
