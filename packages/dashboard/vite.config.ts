import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// `npm run dev -w @samplit/dashboard` serves the app with hot reload and forwards the API to a
// running server (SAMPLIT_URL, default http://localhost:8000), so the browser sees one origin.
const api = process.env.SAMPLIT_URL ?? 'http://localhost:8000';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', assetsDir: 'assets', sourcemap: false },
  server: {
    proxy: Object.fromEntries(['/api', '/sdk', '/health', '/docs', '/openapi.json'].map((p) => [p, api])),
  },
});
