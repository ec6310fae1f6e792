import { describe, expect, it } from 'vitest';
import { bridgeGateway } from './bridge-gateway.js';

describe("the host's address on Docker's default network", () => {
  it('is the gateway the engine states', () => {
    expect(bridgeGateway({ IPAM: { Config: [{ Subnet: '172.17.0.0/16', Gateway: '172.17.0.1' }] } })).toBe('172.17.0.1');
    expect(bridgeGateway({ IPAM: { Config: [{ Subnet: 'fd00::/64', Gateway: 'fd00::1' }, { Subnet: '10.9.0.0/24', Gateway: '10.9.0.254' }] } })).toBe('10.9.0.254');
  });

  it("is the subnet's first address where the engine states no gateway", () => {
    expect(bridgeGateway({ IPAM: { Config: [{ Subnet: '172.17.0.0/16' }] } })).toBe('172.17.0.1');
    expect(bridgeGateway({ IPAM: { Config: [{ Subnet: '192.168.77.128/25' }] } })).toBe('192.168.77.129');
    // A subnet written with host bits set still names its network.
    expect(bridgeGateway({ IPAM: { Config: [{ Subnet: '10.20.30.40/8' }] } })).toBe('10.0.0.1');
  });

  it('is unknown without an IPv4 subnet or gateway', () => {
    expect(bridgeGateway({})).toBeUndefined();
    expect(bridgeGateway({ IPAM: { Config: [] } })).toBeUndefined();
    expect(bridgeGateway({ IPAM: { Config: [{ Subnet: 'fd00::/64' }] } })).toBeUndefined();
    expect(bridgeGateway({ IPAM: { Config: [{ Subnet: '300.1.1.0/24' }] } })).toBeUndefined();
  });
});
