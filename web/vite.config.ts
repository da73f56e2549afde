// Vite builds the front end into internal/web/dist, which the Go binary
// embeds (internal/web). `npm run dev` proxies the server's routes to a
// running `liveshop serve` (LIVESHOP_URL, default http://127.0.0.1:8080).
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { defineConfig, type Plugin } from 'vite';

const outDir = fileURLToPath(new URL('../internal/web/dist', import.meta.url));

// emptyOutDir removes internal/web/dist/.keep, the placeholder that keeps
// the directory (and so the Go embed) valid before any build. Put it back.
function keepFile(): Plugin {
  return {
    name: 'liveshop-keep-file',
    apply: 'build',
    closeBundle() {
      writeFileSync(`${outDir}/.keep`, '');
    },
  };
}

const target = process.env.LIVESHOP_URL ?? 'http://127.0.0.1:8080';
// Keys starting with ^ are regular expressions: /live/{id} is an app page,
// while /live/{id}/whep, /live/{id}/index.m3u8 and the like are the server's.
const proxied = ['/api', '/media', '/sandbox', '/healthz', '/readyz', '/whip', '/replays', '^/live/[^/]+/.+'];

// The realtime room's WebSocket (docs/REALTIME.md) needs the proxy's upgrade support.
const websockets = { '/ws': { target: target.replace(/^http/, 'ws'), ws: true, changeOrigin: false } };

export default defineConfig({
  plugins: [keepFile()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Stable chunk names for web/scripts/bundle-budget.mjs: Preact (which
        // the entry script needs), and the message tables (every page's
        // words, which it does not: they must not delay a live room's WebRTC
        // start, see main.tsx).
        codeSplitting: {
          groups: [
            { name: 'preact', test: /[\\/]node_modules[\\/]preact[\\/]/, priority: 2 },
            { name: 'messages', test: /[\\/]src[\\/]i18n[\\/]/, priority: 1 },
          ],
        },
      },
    },
  },
  server: {
    proxy: { ...Object.fromEntries(proxied.map((p) => [p, { target, changeOrigin: false }])), ...websockets },
  },
});
