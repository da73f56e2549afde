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

/** How long after the app has rendered an early stage nobody took stays up. */
const STAGE_UNCLAIMED_MS = 3_000;

/**
 * The early stage: a bare <video> over the page that shows the room's
 * stream as soon as it arrives, before the app has rendered the room and
 * its player (that render, not the network, was the last wait before the
 * first frame). It takes no clicks and is hidden from assistive
 * technology; it goes once the player shows frames, when the exchange
 * fails, or when nobody claims it.
 */
let stage: HTMLElement | undefined;
let stageClaimed = false;

function showStage(stream: MediaStream): void {
  if (stage || stageClaimed) return;
  stage = document.createElement('div');
  stage.className = 'early-stage';
  stage.setAttribute('aria-hidden', 'true');
  const video = document.createElement('video');
  video.muted = true;
  video.autoplay = true;
  video.playsInline = true;
  video.setAttribute('data-early-player', '');
  video.srcObject = stream;
  stage.appendChild(video);
  document.body.appendChild(stage);
  video.play().catch(() => undefined);
}

/** dropEarlyStage removes the early stage (the player shows the room now, or nobody will). */
export function dropEarlyStage(): void {
  stageClaimed = true;
  if (!stage) return;
  const video = stage.querySelector('video');
  if (video) video.srcObject = null;
  stage.remove();
  stage = undefined;
}

/**
 * dropEarlyStageWhenShown removes the early stage once video (the player's,
 * on the same stream) has presented a frame, so the picture never blinks.
 */
export function dropEarlyStageWhenShown(video: HTMLVideoElement): void {
  if (!stage) return void (stageClaimed = true);
  if ('requestVideoFrameCallback' in video) video.requestVideoFrameCallback(() => dropEarlyStage());
  else dropEarlyStage();
}

/** appRendered tells the early stage the app is on the page: a stage no player claims soon goes. */
export function appRendered(): void {
  setTimeout(() => {
    if (!stageClaimed) dropEarlyStage();
  }, STAGE_UNCLAIMED_MS);
}

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
  // A room that is not live answers 404: the player decides what to do.
  p.then((c) => {
    if (c.stream.getVideoTracks().length > 0) showStage(c.stream);
    else c.pc.addEventListener('track', () => showStage(c.stream), { once: true });
  }, dropEarlyStage);
  setTimeout(() => {
    if (pending.get(roomID) === p) {
      pending.delete(roomID);
      dropEarlyStage();
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
