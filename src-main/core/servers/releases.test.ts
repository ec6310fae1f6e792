import { describe, expect, it } from 'vitest';
import { argsWithRelease, packageRun, unpinnedRelease } from './releases.js';

describe('which release a command server runs', () => {
  it('reads the package and whether an exact version is named, for each runner', () => {
    const run = (line: string) => {
      const [command, ...args] = line.split(' ');
      const found = packageRun(command!, args);
      return found && [found.registry, found.name, found.version];
    };
    expect(run('npx -y @modelcontextprotocol/server-filesystem /tmp')).toEqual(['npm', '@modelcontextprotocol/server-filesystem', undefined]);
    expect(run('npx -y @modelcontextprotocol/server-filesystem@2025.8.21 /tmp')).toEqual(['npm', '@modelcontextprotocol/server-filesystem', '2025.8.21']);
    expect(run('npx --yes some-server@latest')).toEqual(['npm', 'some-server', undefined]);
    expect(run('npx -y some-server@^1.2.0')).toEqual(['npm', 'some-server', undefined]);
    expect(run('npx -y some-server@1.x')).toEqual(['npm', 'some-server', undefined]);
    expect(run('npx --package=some-server@1.2.3-beta.1 some-cli --port 3')).toEqual(['npm', 'some-server', '1.2.3-beta.1']);
    expect(run('npx -p some-server some-cli')).toEqual(['npm', 'some-server', undefined]);
    expect(run('/usr/local/bin/npx.cmd -y some-server@1.0.0')).toEqual(['npm', 'some-server', '1.0.0']);
    expect(run('npm exec -- some-server@1.0.0')).toEqual(['npm', 'some-server', '1.0.0']);
    expect(run('pnpm dlx some-server')).toEqual(['npm', 'some-server', undefined]);
    expect(run('bunx some-server@2.0.0')).toEqual(['npm', 'some-server', '2.0.0']);
    expect(run('uvx mcp-server-fetch')).toEqual(['PyPI', 'mcp-server-fetch', undefined]);
    expect(run('uvx mcp-server-fetch==2025.4.7')).toEqual(['PyPI', 'mcp-server-fetch', '2025.4.7']);
    expect(run('uvx mcp-server-fetch@2025.4.7')).toEqual(['PyPI', 'mcp-server-fetch', '2025.4.7']);
    expect(run('uvx mcp-server-fetch@latest')).toEqual(['PyPI', 'mcp-server-fetch', undefined]);
    expect(run('uvx --python 3.12 --from mcp-server-git==0.6.2 mcp-server-git --repository .')).toEqual(['PyPI', 'mcp-server-git', '0.6.2']);
    expect(run('uvx mcp-server-fetch>=1.0')).toEqual(['PyPI', 'mcp-server-fetch', undefined]);
    expect(run('uvx mcp-server-fetch==1.*')).toEqual(['PyPI', 'mcp-server-fetch', undefined]);
    expect(run('uv tool run some-server[extra]==1.0')).toEqual(['PyPI', 'some-server', '1.0']);
    expect(run('pipx run --spec some-server==1.0rc1 some-cli')).toEqual(['PyPI', 'some-server', '1.0rc1']);
  });

  it('has nothing to say of what is not a registry package', () => {
    for (const line of ['node ./server.js', 'npx ./local-dir', 'npx github:owner/repo', 'npx owner/repo', 'npx https://example.com/pkg.tgz', 'uvx --from git+https://github.com/o/r mcp-x', 'uvx ./pkg', 'python -m server', 'docker run -i mcp/fetch', 'npm start', 'npx']) {
      const [command, ...args] = line.split(' ');
      expect(packageRun(command!, args), line).toBeUndefined();
    }
  });

  it('says what a person would want to know of an unpinned one, and nothing of a pinned one', () => {
    expect(unpinnedRelease('npx', ['-y', 'some-server'])).toBe(
      'It runs the newest release of some-server (npm) whenever it is installed: a later release would run code you did not review. Name one (some-server@<version>) to keep the one you approve.',
    );
    expect(unpinnedRelease('uvx', ['mcp-server-fetch'])).toContain('Name one (mcp-server-fetch==<version>)');
    expect(unpinnedRelease('npx', ['-y', 'some-server@1.0.0'])).toBeUndefined();
  });

  it('names an exact release where each runner reads it, leaving every other argument as it was', () => {
    const pin = (line: string, version: string) => {
      const [command, ...args] = line.split(' ');
      const run = packageRun(command!, args)!;
      return argsWithRelease(run, args, version)?.join(' ');
    };
    expect(pin('npx -y @modelcontextprotocol/server-filesystem /tmp', '2025.8.21')).toBe('-y @modelcontextprotocol/server-filesystem@2025.8.21 /tmp');
    expect(pin('npx --yes some-server@latest --port 3', '1.2.3')).toBe('--yes some-server@1.2.3 --port 3');
    expect(pin('npx --package=some-server@^1 some-cli', '1.4.0')).toBe('--package=some-server@1.4.0 some-cli');
    expect(pin('npx -p some-server some-cli', '1.4.0')).toBe('-p some-server@1.4.0 some-cli');
    expect(pin('npm exec -- some-server', '2.0.0')).toBe('exec -- some-server@2.0.0');
    expect(pin('pnpm dlx some-server', '2.0.0')).toBe('dlx some-server@2.0.0');
    expect(pin('uvx mcp-server-fetch', '2025.4.7')).toBe('mcp-server-fetch@2025.4.7');
    expect(pin('uvx mcp-server-fetch@latest', '2025.4.7')).toBe('mcp-server-fetch@2025.4.7');
    expect(pin('uvx --from mcp-server-git>=0.6 mcp-server-git --repository .', '0.6.2')).toBe('--from mcp-server-git==0.6.2 mcp-server-git --repository .');
    expect(pin('uvx --from=some-server[extra] some-cli', '1.0')).toBe('--from=some-server[extra]==1.0 some-cli');
    expect(pin('uv tool run some-server', '1.0')).toBe('tool run some-server@1.0');
    expect(pin('pipx run some-server', '1.0rc1')).toBe('run some-server==1.0rc1');
    expect(pin('pipx run --spec some-server some-cli', '1.0')).toBe('run --spec some-server==1.0 some-cli');
    // Not a version, or a spec that cannot name one on the command: nothing is written.
    expect(pin('npx -y some-server', 'latest')).toBeUndefined();
    expect(pin('npx -y some-server', '1.0.0 && rm -rf ~')).toBeUndefined();
    expect(pin('uvx some-server[extra]', '1.0')).toBeUndefined();
  });
});
