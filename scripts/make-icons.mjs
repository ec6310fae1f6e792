// Draws Gatehouse's icon (a gate: two posts and an arch on a blue square) as PNGs in resources/, with pngjs.
// Run by hand when the icon changes; the PNGs are committed.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { PNG } from 'pngjs';

const out = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'resources');

function draw(size) {
  const png = new PNG({ width: size, height: size });
  const r = size * 0.18;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const i = (y * size + x) * 4;
      // Rounded square.
      const dx = Math.max(r - x, 0, x - (size - 1 - r));
      const dy = Math.max(r - y, 0, y - (size - 1 - r));
      const inside = dx * dx + dy * dy <= r * r;
      // The gate: an arch over two posts, in white.
      const u = x / size;
      const v = y / size;
      const archR = Math.hypot(u - 0.5, v - 0.45);
      const arch = v < 0.45 && archR <= 0.3 && archR >= 0.2;
      const posts = v >= 0.45 && v <= 0.8 && ((u >= 0.2 && u <= 0.3) || (u >= 0.7 && u <= 0.8));
      const white = arch || posts;
      png.data[i] = inside ? (white ? 255 : 37) : 0;
      png.data[i + 1] = inside ? (white ? 255 : 99) : 0;
      png.data[i + 2] = inside ? (white ? 255 : 235) : 0;
      png.data[i + 3] = inside ? 255 : 0;
    }
  }
  return PNG.sync.write(png);
}

writeFileSync(path.join(out, 'icon.png'), draw(512));
writeFileSync(path.join(out, 'tray.png'), draw(32));
