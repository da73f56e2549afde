// Starting a live room's WebRTC playback early: the entry script
// (main.tsx) asks for it as soon as the address names a room, before the
// app, the session and the page around the video have loaded; the player
// then takes the connection over. A start nobody takes (the room was not
// live, the viewer left) is stopped. The room's session is fetched early
// the same way, so the page (and its player) can render as soon as the
// app has loaded (issue 8: the first frame).
import { live } from '../api';
import type { LiveSession } from '../types';
import { connectWHEP, type WHEPConnection } from './webrtc';

/** How long an early start waits for its player. */
const UNCLAIMED_MS = 10_000;

const pending = new Map<string, Promise<WHEPConnection>>();

function whepURL(roomID: string): string {
  return `/live/${encodeURIComponent(roomID)}/whep`;
}

/**
 * startEarly begins the WHEP exchange for roomID, once, when WebRTC is
 * available and wanted. The promise (undefined when not started here)
 * settles once the server's answer is applied.
 */
export function startEarly(roomID: string): Promise<unknown> | undefined {
  if (pending.has(roomID) || typeof RTCPeerConnection === 'undefined') return undefined;
  if (new URLSearchParams(location.search).get('via') === 'hls') return undefined;
  const p = connectWHEP(whepURL(roomID));
  pending.set(roomID, p);
  p.catch(() => undefined); // a room that is not live answers 404: the player decides what to do
  setTimeout(() => {
    if (pending.get(roomID) === p) {
      pending.delete(roomID);
      p.then((c) => c.stop(), () => undefined);
    }
  }, UNCLAIMED_MS);
  return p;
}

/** takeEarly hands roomID's early start to its player (undefined when there is none). */
export function takeEarly(roomID: string): Promise<WHEPConnection> | undefined {
  const p = pending.get(roomID);
  pending.delete(roomID);
  return p;
}

const sessions = new Map<string, Promise<LiveSession>>();

/** prefetchSession starts reading roomID's live session, once; the room page takes it with takeSession. */
export function prefetchSession(roomID: string): void {
  if (sessions.has(roomID)) return;
  const p = live.get(roomID);
  sessions.set(roomID, p);
  p.catch(() => undefined); // the page reads it again and shows the error
  setTimeout(() => {
    if (sessions.get(roomID) === p) sessions.delete(roomID);
  }, UNCLAIMED_MS);
}

/** takeSession hands roomID's prefetched session to the room page (undefined when there is none). */
export function takeSession(roomID: string): Promise<LiveSession> | undefined {
  const p = sessions.get(roomID);
  sessions.delete(roomID);
  return p;
}
