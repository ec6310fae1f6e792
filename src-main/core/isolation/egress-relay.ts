// The relay on a container's internal network: a small container of its own, on that network and on Docker's
// default one, that carries each connection to Gatehouse's egress proxy and back, untouched. The network
// holds no address of this computer, so the relay is the container's one way out.
import type Docker from 'dockerode';

const LABEL_ROLE = 'dev.gatehouse.role';
/** Where the relay listens, and what it says once it does. */
const RELAY_PORT = 3128;
const RELAY_READY = 'gatehouse-relay-ready';
// Run by `node -e`, with the proxy's host and port as its arguments.
const RELAY = `const net = require('net'); const [host, port] = process.argv.slice(1);
net.createServer((c) => { const u = net.connect(Number(port), host); c.pipe(u).pipe(c);
  const end = () => { c.destroy(); u.destroy(); }; c.on('error', end); u.on('error', end); c.on('close', end); u.on('close', end);
}).listen(${RELAY_PORT}, () => console.log('${RELAY_READY}'));`;

export interface RelaySpec {
  /** An image with `node` in it (the images table's node row). */
  image: string;
  /** The container's internal network. */
  network: Docker.Network;
  labels: Record<string, string>;
  proxy: { host: string; port: number };
  /** Told the relay's container as soon as it exists, so a failure after can remove it. */
  created: (container: Docker.Container) => void;
}

/** Starts the relay and waits until it listens; says its container and the proxy's URL as the network sees it. */
export async function startRelay(docker: Docker, spec: RelaySpec): Promise<{ container: Docker.Container; url: string }> {
  const container = await docker.createContainer({
    Image: spec.image,
    Entrypoint: ['node'],
    Cmd: ['-e', RELAY, spec.proxy.host, String(spec.proxy.port)],
    User: '65534:65534',
    AttachStdout: true,
    AttachStderr: true,
    Labels: { ...spec.labels, [LABEL_ROLE]: 'egress-relay' },
    HostConfig: { AutoRemove: true, NetworkMode: 'bridge', Memory: 64 * 1024 * 1024, PidsLimit: 32, CapDrop: ['ALL'], SecurityOpt: ['no-new-privileges'], ReadonlyRootfs: true },
  });
  spec.created(container);
  await spec.network.connect({ Container: container.id });
  const said = await container.attach({ stream: true, stdout: true, stderr: true });
  said.on('error', () => undefined);
  await container.start();
  await new Promise<void>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => reject(new Error(`the relay to Gatehouse's proxy (image ${spec.image}) did not start within 20 s`)), 20_000);
    said.on('data', (chunk: Buffer) => {
      text += chunk.toString('latin1');
      if (!text.includes(RELAY_READY)) return;
      clearTimeout(timer);
      resolve();
    });
    said.on('end', () => {
      clearTimeout(timer);
      reject(new Error(`the relay to Gatehouse's proxy (image ${spec.image}, which must have node) stopped: ${text.replace(/[^\x20-\x7e]+/g, ' ').trim().slice(-300)}`));
    });
  });
  said.removeAllListeners('data');
  said.removeAllListeners('end');
  said.resume();
  const name = ((await spec.network.inspect()) as { Name: string }).Name;
  const address = ((await container.inspect()) as { NetworkSettings?: { Networks?: Record<string, { IPAddress?: string }> } }).NetworkSettings?.Networks?.[name]?.IPAddress;
  if (!address) throw new Error("the relay to Gatehouse's proxy has no address on the container's network");
  return { container, url: `http://${address}:${RELAY_PORT}` };
}
