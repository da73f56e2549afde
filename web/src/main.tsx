// The entry script: as small as it can be, because everything the first
// video frame of a live room waits for starts here. On a room page it
// starts the WebRTC (WHEP) exchange first, then reads the room's session
// and asks who is signed in, and only then loads the app (./app, a chunk
// of its own, fetched in parallel with the exchange), which renders and
// takes the connection and the session over (live/early.ts). Issue 8;
// measured by bench/firstframe.
import { prefetchSession, startEarly } from './live/early';
import { loadSession } from './session';
import './styles/index.css';

// bench/firstframe and web/e2e/audit.mjs read this mark: the entry script runs.
performance.mark('liveshop:start');

const room = /^\/live\/([^/]+)\/?$/.exec(location.pathname);
if (room) {
  try {
    const id = decodeURIComponent(room[1]);
    startEarly(id);
    prefetchSession(id);
  } catch {
    // a malformed room id: the room page says so
  }
}
void loadSession();

void import('./app').then(({ mount }) => mount(document.getElementById('app') as HTMLElement));
