// The React UI (src-renderer) is built by Vite; it talks to the core only through src-shared's contract.
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'src-renderer',
  base: './',
  esbuild: { jsx: 'automatic' },
  logLevel: 'warn',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1500,
    reportCompressedSize: false,
    rollupOptions: {
      // Libraries built for server components mark files "use client"; in a plain bundle that means nothing.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' || warning.code === 'INVALID_ANNOTATION') return;
        warn(warning);
      },
    },
  },
});
