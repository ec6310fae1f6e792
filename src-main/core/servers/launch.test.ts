import { describe, expect, it } from 'vitest';
import { ConfigSchema } from '../../../src-shared/config/schema.js';
import { launchOf } from './launch.js';

const redact = (text: string) => text.split('s3cret-value').join('[redacted]');
const plain = ConfigSchema.parse({ mcpServers: {} });

describe('launchOf', () => {
  it('shows environment and headers with known secrets redacted, and says what a variable changes', () => {
    const launch = launchOf({ command: 'npx', args: ['-y', 'some-server'], env: { PIP_INDEX_URL: 'https://pypi.example.net/simple', TOKEN: 's3cret-value', LOG: 'debug' } }, plain, redact);
    expect(launch.env).toEqual([
      { name: 'PIP_INDEX_URL', value: 'https://pypi.example.net/simple' },
      { name: 'TOKEN', value: '[redacted]' },
      { name: 'LOG', value: 'debug' },
    ]);
    expect(launch.concerns).toEqual(['Its environment sets PIP_INDEX_URL, which changes where its packages come from or how they are installed.']);
    expect(launch.release).toMatch(/^It runs the newest release of some-server \(npm\)/);
    expect(launchOf({ command: 'npx', args: ['-y', 'some-server@1.2.3'] }, plain, redact).release).toBeUndefined();
  });

  it('reads what a docker command opens of this computer', () => {
    const launch = launchOf({ command: 'docker', args: ['run', '-i', '--rm', '--privileged', '-v', '/:/host', '--network=host', 'image'] }, plain, redact);
    expect(launch.sandbox).toMatch(/runs Docker itself/);
    expect(launch.concerns).toEqual([
      'Its docker command (--privileged) gives the container full access to this computer.',
      'Its docker command (-v /:/host) gives the container your files.',
      "Its docker command (--network host) shares this computer's own namespace with the container.",
    ]);
    expect(launchOf({ command: 'docker', args: ['run', '-i', '--rm', 'mcp/time'] }, plain, redact).concerns).toEqual([]);
  });

  it("names the container's reach, and what an entry asks beyond the person's settings", () => {
    const settings = ConfigSchema.parse({ mcpServers: {}, isolation: { enabled: true } });
    expect(launchOf({ command: 'npx', args: ['-y', 'x'] }, settings, redact)).toMatchObject({ sandbox: expect.stringMatching(/^In a Docker container \(node:[^)]+\): no network, none of your files\.$/), concerns: [] });
    const open = launchOf({ command: 'npx', args: ['-y', 'x'], isolation: { network: 'bridge', mounts: ['/home/me/notes:/notes:rw'] } }, settings, redact);
    expect(open.sandbox).toMatch(/with network access, your \/home\/me\/notes as \/notes \(read-write\)\.$/);
    expect(open.concerns).toEqual(['Its entry gives the container network access.', 'Its entry gives the container your /home/me/notes, to read and change.']);
    expect(launchOf({ url: 'https://mcp.example.com/mcp' }, settings, redact).sandbox).toBeUndefined();
  });
});
