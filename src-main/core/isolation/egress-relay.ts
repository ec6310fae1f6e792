// The relay on a container's internal network: a small container of its own, on that network and on Docker's
// default one, that carries each connection to Gatehouse's egress proxy and back, untouched. The network
// holds no address of this computer, so the relay is the container's one way out.
import type Docker from 'dockerode';

const LABEL_ROLE = 'dev.gatehouse.role';
/** Where the relay listens, and what it says once it does. */
const RELAY_PORT = 3128;
const RELAY_READY = 'gatehouse-relay-ready';
// Run by `node -e`, with the proxy's host and port and the container's network (its subnet) as arguments.
// It listens only on its address on that network, so containers on Docker's default network cannot use it.
// (Node 18.0–18.3 gave an address's family as a number.)
const RELAY = `const net = require('net'); const os = require('os'); const [host, port, subnet] = process.argv.slice(1);
const [base, bits] = subnet.split('/'); const num = (a) => a.split('.').reduce((v, x) => v * 256 + Number(x), 0); const block = 2 ** (32 - Number(bits));
const own = Object.values(os.networkInterfaces()).flat().find((i) => (i.family === 'IPv4' || i.family === 4) && Math.floor(num(i.address) / block) === Math.floor(num(base) / block));
if (!own) { console.log('no address on the network ' + subnet); process.exit(1); }
net.createServer((c) => { const u = net.connect(Number(port), host); c.pipe(u).pipe(c);
  const end = () => { c.destroy(); u.destroy(); }; c.on('error', end); u.on('error', end); c.on('close', end); u.on('close', end);
}).listen(${RELAY_PORT}, own.address, () => console.log('${RELAY_READY}'));`;

interface NetworkInfo {
  Name: string;
  IPAM?: { Config?: { Subnet?: string }[] };
}

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

/**
 * Starts the relay and waits until it listens. Says its container, the proxy's URL as the network sees it,
 * and the relay's address on Docker's default network, the one address the proxy should take connections from.
 */
export async function startRelay(docker: Docker, spec: RelaySpec): Promise<{ container: Docker.Container; url: string; from: string }> {
  const network = (await spec.network.inspect()) as NetworkInfo;
  const subnet = network.IPAM?.Config?.find((c) => c.Subnet && !c.Subnet.includes(':'))?.Subnet;
  if (!subnet) throw new Error("the container's network has no IPv4 subnet for the relay to Gatehouse's proxy to listen on");
  const container = await docker.createContainer({
    Image: spec.image,
    Entrypoint: ['node'],
    Cmd: ['-e', RELAY, spec.proxy.host, String(spec.proxy.port), subnet],
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
  const networks = ((await container.inspect()) as { NetworkSettings?: { Networks?: Record<string, { IPAddress?: string }> } }).NetworkSettings?.Networks ?? {};
  const address = Object.hasOwn(networks, network.Name) ? networks[network.Name]!.IPAddress : undefined;
  const from = Object.hasOwn(networks, 'bridge') ? networks.bridge!.IPAddress : undefined;
  if (!address || !from) throw new Error("the relay to Gatehouse's proxy has no address on the container's network or on Docker's default one");
  return { container, url: `http://${address}:${RELAY_PORT}`, from };
}
