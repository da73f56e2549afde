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

// preloadApp lists the app shell (src/app.tsx's chunk and every chunk it
// imports statically, and their CSS) as preload links in index.html, so the browser
// fetches and compiles it while the small entry script runs, instead of
// after: main.tsx imports it dynamically to start a live room's WebRTC
// exchange first, but every page needs it at once (issue 8).
function preloadApp(): Plugin {
  return {
    name: 'liveshop-preload-app',
    apply: 'build',
    transformIndexHtml: {
      order: 'post',
      handler(_html, ctx) {
        const bundle = ctx.bundle;
        if (!bundle) return [];
        const chunks = Object.values(bundle).flatMap((c) => (c.type === 'chunk' ? [c] : []));
        const app = chunks.find((c) => c.facadeModuleId?.replace(/\\/g, '/').endsWith('/src/app.tsx'));
        const entry = chunks.find((c) => c.isEntry);
        if (!app || !entry) return [];
        const byName = new Map(chunks.map((c) => [c.fileName, c]));
        const inEntry = new Set<string>();
        const walk = (f: string, into: Set<string>) => {
          if (into.has(f)) return;
          into.add(f);
          for (const g of byName.get(f)?.imports ?? []) walk(g, into);
        };
        walk(entry.fileName, inEntry);
        const shell = new Set<string>();
        walk(app.fileName, shell);
        const files = [...shell].filter((f) => !inEntry.has(f));
        // Their style sheets too, as preloads: the dynamic import waits for them before the app
        // renders, and a style sheet link would hold the entry script back (scripts wait for them).
        const css = new Set(files.flatMap((f) => [...(byName.get(f)?.viteMetadata?.importedCss ?? [])]));
        return [
          ...files.map((f) => ({ tag: 'link', attrs: { rel: 'modulepreload', crossorigin: true, href: `/${f}` }, injectTo: 'head' as const })),
          ...[...css].map((f) => ({ tag: 'link', attrs: { rel: 'preload', as: 'style', crossorigin: true, href: `/${f}` }, injectTo: 'head' as const })),
        ];
      },
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
  plugins: [keepFile(), preloadApp()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    rolldownOptions: {
      output: {
        // Stable chunk names for web/scripts/bundle-budget.mjs: Preact (which
        // the entry script needs) and the English message tables (every
        // page's words, which it does not: they must not delay a live room's
        // WebRTC start, see main.tsx). Not the Chinese ones (messages/zh),
        // which only Chinese readers download, and not the rest of src/i18n:
        // the entry imports i18n/locale.ts.
        codeSplitting: {
          groups: [
            { name: 'preact', test: /[\\/]node_modules[\\/]preact[\\/]/, priority: 2 },
            { name: 'messages', test: /[\\/]src[\\/]i18n[\\/]messages[\\/](?!zh[\\/])/, priority: 1 },
          ],
        },
        // The Chinese tables are the chunk of messages/zh/index.ts, which
        // i18n/locale.ts imports on demand: named messages-zh, not index.
        chunkFileNames: (chunk) =>
          chunk.facadeModuleId?.replace(/\\/g, '/').endsWith('/src/i18n/messages/zh/index.ts') ? 'assets/messages-zh-[hash].js' : 'assets/[name]-[hash].js',
      },
    },
  },
  server: {
    proxy: { ...Object.fromEntries(proxied.map((p) => [p, { target, changeOrigin: false }])), ...websockets },
  },
});
