// The entry script: as small as it can be, because everything the first
// video frame of a live room waits for starts here. On a room page it
// starts the WebRTC (WHEP) exchange first and reads the room's session,
// then runs the app (./app, a chunk of its own that index.html preloads
// alongside this one), which asks who is signed in, renders, and takes the
// connection and the session over (live/early.ts). This script imports
// nothing but the API client and the language choice (i18n/locale.ts), not
// even Preact. Issue 8; measured by bench/firstframe.
import { ready } from './i18n/locale';
import { prefetchSession, startEarly } from './live/early';
import './styles/index.css';

// bench/firstframe and web/e2e/audit.mjs read this mark: the entry script runs.
performance.mark('liveshop:start');

/**
 * How long the app waits for the early WHEP answer to be applied. Running
 * the app is the longest task on the main thread; while it runs, the
 * browser cannot hand the answer to WebRTC, and ICE waits (measured:
 * answer → setRemoteDescription 70–230 ms when the app had run, 400–1800
 * ms when it ran meanwhile). The app's modules download meanwhile.
 */
const ANSWER_WAIT_MS = 400;

let answered: Promise<unknown> | undefined;
const room = /^\/live\/([^/]+)\/?$/.exec(location.pathname);
if (room) {
  try {
    const id = decodeURIComponent(room[1]);
    answered = startEarly(id);
    prefetchSession(id);
  } catch {
    // a malformed room id: the room page says so
  }
}
// A Chinese reader's strings are a chunk of their own: start fetching it now,
// beside the app's (after the WebRTC start), and render once both are in, so
// that the first paint is already Chinese (i18n/locale.ts).
const strings = ready();
const start = () => Promise.all([import('./app'), strings]).then(([{ mount }]) => mount(document.getElementById('app') as HTMLElement));
if (answered) {
  void Promise.race([answered.catch(() => undefined), new Promise((r) => setTimeout(r, ANSWER_WAIT_MS))]).then(start);
} else {
  void start();
}
