import { describe, expect, it } from 'vitest';
import { digestFor, dockerRunImage, parseImageRef, pinnedImageRef, unpinnedImage } from './image-ref.js';

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('image references', () => {
  it('tells a tag from a registry port, and a digest from both', () => {
    expect(parseImageRef('node')).toEqual({ repository: 'node' });
    expect(parseImageRef('node:22-bookworm-slim')).toEqual({ repository: 'node', tag: '22-bookworm-slim' });
    expect(parseImageRef('127.0.0.1:5000/team/server')).toEqual({ repository: '127.0.0.1:5000/team/server' });
    expect(parseImageRef(`127.0.0.1:5000/team/server:1@${DIGEST}`)).toEqual({ repository: '127.0.0.1:5000/team/server', tag: '1', digest: DIGEST });
    expect(parseImageRef(`ghcr.io/astral-sh/uv@${DIGEST}`)).toEqual({ repository: 'ghcr.io/astral-sh/uv', digest: DIGEST });
  });

  it('pins with the tag kept for the reader, and finds the digest of the same repository', () => {
    expect(pinnedImageRef('node:22', DIGEST)).toBe(`node:22@${DIGEST}`);
    expect(pinnedImageRef('mcp/github', DIGEST)).toBe(`mcp/github:latest@${DIGEST}`);
    const other = `sha256:${'cd'.repeat(32)}`;
    expect(digestFor('docker.io/library/node:22', [`mirror.example/node@${other}`, `node@${DIGEST}`])).toBe(DIGEST);
    expect(digestFor('node:22', [`mirror.example/node@${other}`])).toBeUndefined();
  });

  it('finds the image among docker run options, with and without values', () => {
    expect(dockerRunImage(['run', '-i', '--rm', 'mcp/github'])).toEqual({ index: 3, image: 'mcp/github' });
    expect(dockerRunImage(['run', '-it', '-e', 'TOKEN', '--name=gh', '-v', '/a:/b', '--network', 'none', 'mcp/github:1', 'serve', '-x'])).toEqual({ index: 9, image: 'mcp/github:1' });
    expect(dockerRunImage(['--context', 'remote', 'container', 'run', '--init', '--', 'img'])).toEqual({ index: 6, image: 'img' });
    expect(dockerRunImage(['run', '-i', '--rm'])).toBeUndefined();
    expect(dockerRunImage(['ps'])).toBeUndefined();
  });

  it('speaks of a tag, not of a digest', () => {
    expect(unpinnedImage('node:22')).toContain('named by a tag its publisher can point at another image');
    expect(unpinnedImage(`node:22@${DIGEST}`)).toBeUndefined();
  });
});
