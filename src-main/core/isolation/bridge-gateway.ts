// The host's address on Docker's default network, where Gatehouse's proxy for allowHosts listens.

export interface BridgeInfo {
  IPAM?: { Config?: { Subnet?: string; Gateway?: string }[] };
}

/**
 * The default network's stated gateway; where the engine states none (an engine may leave it out of the
 * default bridge's IPAM), the first address of its IPv4 subnet, which the engine gives its bridge.
 * Undefined when it has neither.
 */
export function bridgeGateway(info: BridgeInfo): { address: string; stated: boolean } | undefined {
  const configs = (info.IPAM?.Config ?? []).filter((c) => !c.Subnet?.includes(':') && !c.Gateway?.includes(':'));
  const stated = configs.find((c) => c.Gateway)?.Gateway;
  if (stated) return { address: stated, stated: true };
  for (const { Subnet } of configs) {
    const m = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/.exec(Subnet ?? '');
    if (!m) continue;
    const octets = m.slice(1, 5).map(Number);
    const bits = Number(m[5]);
    if (octets.some((o) => o > 255) || bits < 8 || bits > 30) continue;
    const address = octets.reduce((a, o) => a * 256 + o, 0);
    const size = 2 ** (32 - bits);
    const first = Math.floor(address / size) * size + 1;
    return { address: [24, 16, 8, 0].map((s) => Math.floor(first / 2 ** s) % 256).join('.'), stated: false };
  }
  return undefined;
}
