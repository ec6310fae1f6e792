export { generateKeys, loadKeys, saveKeys, fingerprint, publicKey, privateFromSeed, keysFrom, type KeyPairs, type PublicKeys } from './keys.js';
export { ClientHandshake, VaultHandshakes, Session, ChannelError, SESSION_MS, type ClientHello, type VaultHello, type ClientFinish, type SealedRecord, type Fixed } from './channel.js';
