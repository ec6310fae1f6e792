// The React UI (src-renderer) is built by Vite; it talks to the core only through src-shared's contract.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'src-renderer',
  base: './',
  build: { outDir: '../dist/renderer', emptyOutDir: true },
});
