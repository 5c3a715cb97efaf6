import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const devApi = 'http://127.0.0.1:8000';

export default defineConfig({
  plugins: [react()],
  resolve: {
    alias: {
      '@hub/core': fileURLToPath(new URL('../core/src/index.ts', import.meta.url)),
    },
  },
  build: {
    outDir: 'dist',
    // The lazily loaded ECharts chunk (line, bar, scatter, canvas) is about 580 kB minified.
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: {
      '/api': devApi,
      '/healthz': devApi,
      '/readyz': devApi,
    },
  },
});
