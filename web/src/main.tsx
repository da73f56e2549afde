// The entry script: as small as it can be, because everything the first
// video frame of a live room waits for starts here. On a room page it
// starts the WebRTC (WHEP) exchange first and reads the room's session,
// then runs the app (./app, a chunk of its own that index.html preloads
// alongside this one), which asks who is signed in, renders, and takes the
// connection and the session over (live/early.ts). This script imports
// nothing but the API client, not even Preact. Issue 8; measured by
// bench/firstframe.
import { prefetchSession, startEarly } from './live/early';
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
void import('./app').then(({ mount }) => mount(document.getElementById('app') as HTMLElement));
