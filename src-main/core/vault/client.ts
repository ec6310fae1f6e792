// The local side: talks to a vault over the channel, handshaking on first use and again — without the
// caller noticing — when the session has expired. It holds no secret of the APIs, only its own key.
import { ChannelError, ClientHandshake, type Session } from './channel.js';
import type { KeyPairs, PublicKeys } from './keys.js';
import type { VaultOp } from './server.js';

export class VaultClient {
  private session: Session | undefined;
  private opening: Promise<Session> | undefined;

  constructor(
    private readonly url: string,
    private readonly keys: () => Promise<KeyPairs>,
    private readonly vault: PublicKeys,
    private readonly fetchFn: typeof fetch = fetch,
  ) {}

  async call(op: VaultOp): Promise<Record<string, unknown>> {
    for (let attempt = 0; ; attempt++) {
      const session = this.session && !this.session.expired ? this.session : await this.handshake();
      const res = await this.post('/v1/call', session.seal(JSON.stringify(op)));
      if (res.status !== 200) {
        const error = (await res.json().catch(() => ({}))) as { error?: string; message?: string };
        // The vault forgot the session (expired, restarted): one fresh handshake, then the same request.
        if ((error.error === 'session_expired' || error.error === 'unknown_session') && attempt === 0) {
          this.session = undefined;
          continue;
        }
        throw new ChannelError((error.error as ChannelError['code']) ?? 'bad_handshake', `the vault refused: ${error.message ?? `HTTP ${res.status}`}`);
      }
      return JSON.parse(session.open((await res.json()) as never).toString('utf8')) as Record<string, unknown>;
    }
  }

  private handshake(): Promise<Session> {
    this.opening ??= (async () => {
      const handshake = new ClientHandshake(await this.keys(), this.vault);
      const hello = await this.post('/v1/hello', handshake.hello);
      const reply = (await hello.json()) as { error?: string; message?: string };
      if (hello.status !== 200) throw new ChannelError((reply.error as ChannelError['code']) ?? 'bad_handshake', `the vault refused this Gatehouse: ${reply.message ?? `HTTP ${hello.status}`}`);
      const { finish, session } = handshake.finish(reply as never);
      const done = await this.post('/v1/finish', finish);
      if (done.status !== 200) {
        const e = (await done.json().catch(() => ({}))) as { error?: string; message?: string };
        throw new ChannelError((e.error as ChannelError['code']) ?? 'bad_handshake', `the vault refused this Gatehouse: ${e.message ?? `HTTP ${done.status}`}`);
      }
      this.session = session;
      return session;
    })().finally(() => (this.opening = undefined));
    return this.opening;
  }

  private async post(path: string, body: unknown): Promise<Response> {
    try {
      return await this.fetchFn(new URL(path, this.url), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    } catch (err) {
      throw new Error(`the vault at ${this.url} did not answer (${(err as Error).message})`);
    }
  }
}
