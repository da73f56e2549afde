#!/usr/bin/env node
// First-frame phases of the live room (issue 8), for bench/firstframe and
// web/e2e/audit.mjs: opens BASE_URL/live/SESSION_ID in RUNS fresh browser
// contexts (no cache, no cookies: a first visit), one after another, and
// for each run records when, from navigation start, the page reached each
// phase of getting its first video frame:
//
//   script     the entry script has run (its first statement, a
//              performance mark in main.tsx; else the end of its download)
//   offer      the WHEP offer was POSTed (fetch start of POST …/whep)
//   answer     the answer arrived (response end of that POST)
//   ice        ICE connected (iceConnectionState)
//   dtls       DTLS connected (connectionState "connected")
//   rtp        the first RTP packet of video (the track's unmute event)
//   frame      the first video frame was presented (requestVideoFrameCallback)
//              by the player or by the early stage before it (live/early.ts)
//
// plus "decoded", when getStats first reports framesDecoded > 0 (polled
// every 10 ms, so it can trail "frame"). A wrapper around
// RTCPeerConnection, installed before the page's scripts, sees the
// connection however the page makes it.
//
// Output: one line `FIRSTFRAME_RUN {json}` per run and then one line
// `FIRSTFRAME_RESULT {json}` per server with its runs and their median and
// p90. Exits 1 if a run shows no frame within FRAME_TIMEOUT_S (default 10).
//
// Environment: BASE_URL (default http://127.0.0.1:8080) or BASE_URLS
// (several servers, comma-separated, measured in turn: one load each, RUNS
// rounds), SESSION_ID (demo), RUNS (15), CHROMIUM (/usr/bin/chromium),
// FRAME_TIMEOUT_S (10).
import { chromium } from 'playwright-core';

const env = process.env;
const BASE_URL = (env.BASE_URL || 'http://127.0.0.1:8080').replace(/\/+$/, '');
const SESSION_ID = env.SESSION_ID || 'demo';
const RUNS = Number(env.RUNS || 15);
const CHROMIUM = env.CHROMIUM || '/usr/bin/chromium';
const FRAME_TIMEOUT_MS = Number(env.FRAME_TIMEOUT_S || 10) * 1000;
const LIMIT_MS = RUNS * (env.BASE_URLS || BASE_URL).split(",").length * (FRAME_TIMEOUT_MS + 10_000) + 30_000;

export const PHASES = ['script', 'offer', 'answer', 'ice', 'dtls', 'rtp', 'frame'];

/** instrument runs in the page before its own scripts. */
function instrument() {
  const t = {};
  window.__ff = t;
  const mark = (k, at) => {
    if (t[k] === undefined) t[k] = Math.round(at ?? performance.now());
  };
  const Native = window.RTCPeerConnection;
  if (Native) {
    class Timed extends Native {
      constructor(...args) {
        super(...args);
        mark('pc');
        this.addEventListener('icecandidate', (e) => {
          if (e.candidate) mark('candidate');
        });
        this.addEventListener('iceconnectionstatechange', () => {
          if (this.iceConnectionState === 'connected' || this.iceConnectionState === 'completed') mark('ice');
        });
        this.addEventListener('connectionstatechange', () => {
          if (this.connectionState === 'connected') mark('dtls');
        });
        this.addEventListener('track', (e) => {
          if (e.track.kind !== 'video') return;
          if (!e.track.muted) mark('rtp');
          else e.track.addEventListener('unmute', () => mark('rtp'), { once: true });
        });
        const poll = async () => {
          if (t.decoded !== undefined || this.signalingState === 'closed') return;
          try {
            (await this.getStats()).forEach((r) => {
              if (r.type === 'inbound-rtp' && r.kind === 'video' && r.framesDecoded > 0) mark('decoded');
            });
          } catch {
            return;
          }
          setTimeout(poll, 10);
        };
        setTimeout(poll, 10);
      }
    }
    for (const [name, key] of [['createOffer', 'created'], ['setLocalDescription', 'local'], ['setRemoteDescription', 'remote']]) {
      Timed.prototype[name] = async function (...args) {
        const r = await Native.prototype[name].apply(this, args);
        mark(key);
        return r;
      };
    }
    window.RTCPeerConnection = Timed;
  }
  const hook = (v) => {
    if (v.__ffHooked) return;
    v.__ffHooked = true;
    mark('player');
    if ('requestVideoFrameCallback' in v) v.requestVideoFrameCallback((now) => mark('frame', now));
    else v.addEventListener('loadeddata', () => mark('frame'), { once: true });
  };
  new MutationObserver(() => document.querySelectorAll('video[data-testid="player"], video[data-early-player]').forEach(hook)).observe(document, {
    childList: true,
    subtree: true,
  });
}

/** collect reads the page's marks and its resource timings. */
function collect() {
  const t = { ...window.__ff };
  const start = performance.getEntriesByName('liveshop:start')[0];
  const res = performance.getEntriesByType('resource');
  const entry = res.find((r) => r.initiatorType === 'script' && /\/assets\/index-[^/]+\.js$/.test(r.name));
  t.script = Math.round(start ? start.startTime : entry ? entry.responseEnd : NaN);
  const whep = res.filter((r) => /\/whep$/.test(new URL(r.name).pathname));
  if (whep[0]) {
    t.offer = Math.round(whep[0].startTime);
    t.answer = Math.round(whep[0].responseEnd);
  }
  t.path = document.querySelector('[data-testid="player"]')?.getAttribute('data-path') ?? '';
  return t;
}

/**
 * firstFrames opens the room runs times in browser and returns each run's
 * phases. Given several servers (bases), it takes them in turn, one load
 * each, so that all see the same machine load; each run says which (target).
 */
export async function firstFrames(browser, { base = BASE_URL, bases = [base], session = SESSION_ID, runs = RUNS, contextOptions = {}, log = () => {} } = {}) {
  const out = [];
  for (let i = 0; i < runs * bases.length; i++) {
    const target = i % bases.length;
    const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1, ...contextOptions });
    try {
      await ctx.addInitScript(instrument);
      const page = await ctx.newPage();
      await page.goto(`${bases[target]}/live/${encodeURIComponent(session)}`);
      const ok = await page.waitForFunction(() => window.__ff?.frame !== undefined, null, { timeout: FRAME_TIMEOUT_MS }).catch(() => null);
      if (!ok) throw new Error(`run ${i + 1}: no video frame within ${FRAME_TIMEOUT_MS / 1000} s`);
      // getStats polling trails the frame by up to one poll.
      await page.waitForFunction(() => window.__ff?.decoded !== undefined, null, { timeout: 1000 }).catch(() => null);
      const r = { ...(await page.evaluate(collect)), target };
      out.push(r);
      log(r, i);
    } finally {
      await ctx.close();
    }
  }
  return out;
}

/** summarise gives the median and p90 (nearest rank) of each phase. */
export function summarise(runs) {
  const q = (xs, p) => {
    const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
    if (!s.length) return null;
    return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
  };
  const out = {};
  for (const k of [...PHASES, 'player', 'decoded']) {
    const xs = runs.map((r) => r[k]);
    out[k] = { median: q(xs, 0.5), p90: q(xs, 0.9) };
  }
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const watchdog = setTimeout(() => {
    console.error(`FAIL firstframe: took longer than ${LIMIT_MS / 1000}s`);
    process.exit(1);
  }, LIMIT_MS);
  let browser;
  try {
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
        '--disable-component-update', '--disable-sync', '--autoplay-policy=no-user-gesture-required'],
    });
    const bases = (env.BASE_URLS || BASE_URL).split(',').map((b) => b.replace(/\/+$/, ''));
    const runs = await firstFrames(browser, { bases, log: (r) => console.log(`FIRSTFRAME_RUN ${JSON.stringify(r)}`) });
    // One result line per server, in the order given.
    for (const [i] of bases.entries()) {
      const mine = runs.filter((r) => r.target === i);
      console.log(`FIRSTFRAME_RESULT ${JSON.stringify({ target: i, runs: mine, summary: summarise(mine) })}`);
    }
    await browser.close();
    clearTimeout(watchdog);
    process.exit(0);
  } catch (e) {
    console.error(`FAIL firstframe: ${e.message}`);
    await browser?.close().catch(() => {});
    process.exit(1);
  }
}
