import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { findResource } from './index.js';

const dirs: string[] = [];
afterEach(() => dirs.splice(0).forEach((d) => rmSync(d, { recursive: true, force: true })));

function place(root: string, file: string): void {
  mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
  writeFileSync(path.join(root, file), 'x');
}

describe('findResource', () => {
  it("walks up to resources/, and inside the desktop app's archive takes the unpacked copy only when there is one", () => {
    const root = mkdtempSync(path.join(os.tmpdir(), 'gatehouse-resources-'));
    dirs.push(root);
    const from = path.join(root, 'app.asar', 'dist', 'app');
    mkdirSync(from, { recursive: true });
    place(root, 'app.asar/resources/models/m/model.onnx');
    place(root, 'app.asar.unpacked/resources/models/m/model.onnx');
    place(root, 'app.asar/resources/scanner/table.bin');
    expect(findResource('models/m/model.onnx', from)).toBe(path.join(root, 'app.asar.unpacked', 'resources', 'models', 'm', 'model.onnx'));
    expect(findResource('scanner/table.bin', from)).toBe(path.join(root, 'app.asar', 'resources', 'scanner', 'table.bin'));
    expect(findResource('scanner/missing.bin', from)).toBeUndefined();
  });
});
