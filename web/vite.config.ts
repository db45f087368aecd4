/**
 * Vite config of the browser app (`npm run web`, `npm run build:web`). The root is web/;
 * the optimiser is imported straight from ../src and bundled, so there is no server logic.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('.'),
  // Relative asset URLs: the built app works from any static path (file server, GitHub Pages).
  base: './',
  worker: { format: 'es' },
  server: { fs: { allow: [here('..')] } },
  build: { outDir: here('dist'), emptyOutDir: true, target: 'es2022', chunkSizeWarningLimit: 2000 },
});
