// Whether a real keychain (the Secret Service on Linux) is reachable. Tests that need one skip on a
// developer's machine without it, saying why, and fail in CI, where .ci/run provides one.
import { KeychainSecretStore } from '../src-main/core/secrets/index.js';

export async function keychainProblem(): Promise<string | undefined> {
  try {
    await new KeychainSecretStore(`Gatehouse-probe-${process.pid}`).list();
    return undefined;
  } catch (err) {
    return (err as Error).message;
  }
}

export async function requireKeychain(): Promise<boolean> {
  const problem = await keychainProblem();
  if (!problem) return true;
  if (process.env.CI) throw new Error(`CI must provide a keychain (see .ci/run): ${problem}`);
  process.stderr.write(`skipping keychain tests: ${problem}\n`);
  return false;
}
