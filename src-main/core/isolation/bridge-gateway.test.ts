import { describe, expect, it } from 'vitest';
import { bridgeGateway } from './bridge-gateway.js';

describe("the host's address on Docker's default network", () => {
  it('is the gateway the engine states', () => {
    expect(bridgeGateway({ IPAM: { Config: [{ Subnet: '172.17.0.0/16', Gateway: '172.17.0.1' }] } })).toEqual({ address: '172.17.0.1', stated: true });
    expect(bridgeGateway({ IPAM: { Config: [{ Subnet: 'fd00::/64', Gateway: 'fd00::1' }, { Subnet: '10.9.0.0/24', Gateway: '10.9.0.254' }] } })).toEqual({ address: '10.9.0.254', stated: true });
  });

  it("is the subnet's first address where the engine states no gateway", () => {
    expect(bridgeGateway({ IPAM: { Config: [{ Subnet: '172.17.0.0/16' }] } })).toEqual({ address: '172.17.0.1', stated: false });
    expect(bridgeGateway({ IPAM: { Config: [{ Subnet: '192.168.77.128/25' }] } })).toEqual({ address: '192.168.77.129', stated: false });
    // A subnet written with host bits set still names its network.
    expect(bridgeGateway({ IPAM: { Config: [{ Subnet: '10.20.30.40/8' }] } })).toEqual({ address: '10.0.0.1', stated: false });
  });

  it('is unknown without an IPv4 subnet or gateway', () => {
    expect(bridgeGateway({})).toBeUndefined();
    expect(bridgeGateway({ IPAM: { Config: [] } })).toBeUndefined();
    expect(bridgeGateway({ IPAM: { Config: [{ Subnet: 'fd00::/64' }] } })).toBeUndefined();
    expect(bridgeGateway({ IPAM: { Config: [{ Subnet: '300.1.1.0/24' }] } })).toBeUndefined();
  });
});
