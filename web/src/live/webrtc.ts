// WebRTC over HTTP: WHEP playback and WHIP publishing (docs/LIVE.md).
// A publisher's offer is posted once ICE gathering has finished (or after
// a short wait). A viewer's is posted at once, without candidates: our
// server answers with all of its own, the browser checks connectivity
// towards them, and the server learns the browser's address from those
// checks (as a peer-reflexive candidate). The browser's host candidates
// would not help anyway — Chromium hides them behind mDNS names, which
// the server does not resolve — and waiting for them cost the first frame
// a few hundred milliseconds on a busy machine (issue 8, bench/firstframe).
import { deleteSDPResource, postSDP } from '../api';

const GATHER_WAIT_MS = 2000;

/** waitIceGathering resolves when gathering completes, or after maxMs with what was gathered so far. */
export function waitIceGathering(pc: RTCPeerConnection, maxMs = GATHER_WAIT_MS): Promise<void> {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    };
    const check = () => {
      if (pc.iceGatheringState === 'complete') done();
    };
    const timer = setTimeout(done, maxMs);
    pc.addEventListener('icegatheringstatechange', check);
  });
}

async function framesDecoded(pc: RTCPeerConnection): Promise<number> {
  let n = 0;
  (await pc.getStats()).forEach((r) => {
    if (r.type === 'inbound-rtp' && r.kind === 'video') n += r.framesDecoded ?? 0;
  });
  return n;
}

/** waitForFrames resolves once video frames are decoded, and rejects after ms without any. */
async function waitForFrames(pc: RTCPeerConnection, video: HTMLVideoElement, ms: number, signal: AbortSignal): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (signal.aborted) throw new DOMException('aborted', 'AbortError');
    if (video.readyState >= HTMLMediaElement.HAVE_CURRENT_DATA && video.videoWidth > 0) return;
    if ((await framesDecoded(pc)) > 0) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no video within ${ms / 1000} s over WebRTC`);
}

export interface Playback {
  /** stop ends playback and tells the server (DELETE of the session resource). */
  stop: () => void;
}

/**
 * WHEPConnection is a WHEP exchange that has been answered: the peer
 * connection, the server's session resource and the media arriving on it.
 */
export interface WHEPConnection {
  pc: RTCPeerConnection;
  stream: MediaStream;
  stop: () => void;
}

/**
 * connectWHEP makes the WHEP exchange without a video element yet, so a
 * page can start it while it is still loading what to show around the
 * video (the first frame then comes sooner). stop ends it and tells the
 * server; closing the tab does too.
 */
export async function connectWHEP(url: string, signal?: AbortSignal): Promise<WHEPConnection> {
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  let resource = '';
  let stopped = false;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    window.removeEventListener('pagehide', stop);
    pc.close();
    void deleteSDPResource(resource);
  };
  // Closing or reloading the tab unmounts nothing: say goodbye to the server here.
  window.addEventListener('pagehide', stop);
  const stream = new MediaStream();
  try {
    pc.addTransceiver('video', { direction: 'recvonly' });
    pc.addTransceiver('audio', { direction: 'recvonly' });
    pc.addEventListener('track', (e) => stream.addTrack(e.track));
    await pc.setLocalDescription(await pc.createOffer());
    const answer = await postSDP(url, pc.localDescription?.sdp ?? '', '', signal);
    resource = answer.location;
    await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
  } catch (e) {
    stop();
    throw e;
  }
  return { pc, stream, stop };
}

/**
 * playWHEP plays a room over WHEP into video, on a connection started
 * earlier (early) when there is one, else on a new one. It resolves once
 * frames arrive and rejects (having cleaned up) if the exchange fails or no
 * frame comes within frameTimeoutMs. onFail is called if the connection
 * drops later.
 */
export async function playWHEP(
  url: string,
  video: HTMLVideoElement,
  opts: { frameTimeoutMs: number; signal: AbortSignal; onFail: () => void; early?: Promise<WHEPConnection> },
): Promise<Playback> {
  let conn: WHEPConnection | undefined;
  if (opts.early) conn = await opts.early.catch(() => undefined); // a failed early start: start again here
  if (opts.signal.aborted) {
    conn?.stop();
    throw new DOMException('aborted', 'AbortError');
  }
  conn ??= await connectWHEP(url, opts.signal);
  const { pc, stream } = conn;
  let stopped = false;
  const stop = () => {
    stopped = true;
    conn.stop();
  };
  const show = () => {
    if (video.srcObject !== stream) video.srcObject = stream;
    video.play().catch(() => undefined);
  };
  pc.addEventListener('track', show);
  if (stream.getTracks().length > 0) show();
  try {
    await waitForFrames(pc, video, opts.frameTimeoutMs, opts.signal);
  } catch (e) {
    stop();
    if (video.srcObject) video.srcObject = null;
    throw e;
  }
  pc.addEventListener('connectionstatechange', () => {
    if (!stopped && (pc.connectionState === 'failed' || pc.connectionState === 'closed')) opts.onFail();
  });
  return { stop };
}

/**
 * preferH264 puts H.264 first in a video transceiver's codec list
 * (packetization-mode=1, constrained baseline first): every viewer path —
 * WHEP, LL-HLS, the recording — carries H.264 without transcoding.
 */
export function preferH264(t: RTCRtpTransceiver): void {
  const caps = (typeof RTCRtpSender.getCapabilities === 'function' && RTCRtpSender.getCapabilities('video')) || RTCRtpReceiver.getCapabilities('video');
  if (!caps || typeof t.setCodecPreferences !== 'function') return;
  const rank = (c: RTCRtpCodec) => {
    if (!/h264/i.test(c.mimeType)) return 3;
    const f = c.sdpFmtpLine ?? '';
    if (/packetization-mode=1/.test(f) && /profile-level-id=42e01f/i.test(f)) return 0;
    return /packetization-mode=1/.test(f) ? 1 : 2;
  };
  const codecs = [...caps.codecs].sort((a, b) => rank(a) - rank(b));
  if (rank(codecs[0]) === 3) return; // no H.264 here: keep the browser's order
  try {
    t.setCodecPreferences(codecs);
  } catch {
    // Older browsers check preferences against receiver capabilities only.
    const rc = RTCRtpReceiver.getCapabilities('video');
    if (!rc) return;
    try {
      t.setCodecPreferences([...rc.codecs].sort((a, b) => rank(a) - rank(b)));
    } catch {
      // keep the default order; the server may still accept it
    }
  }
}

export interface Publication {
  pc: RTCPeerConnection;
  /** resource is the WHIP session URL; DELETE on it ends the live session. */
  resource: string;
  /** streamKey is the key this publication started with (DELETE must present it, even after a rotation). */
  streamKey: string;
  /** replaceTrack swaps the camera or microphone while live. */
  replaceTrack: (track: MediaStreamTrack) => Promise<void>;
}

/**
 * publishWHIP sends a camera stream to the WHIP endpoint with sendonly
 * transceivers, H.264 preferred. onState reports the connection state.
 */
export async function publishWHIP(
  url: string,
  streamKey: string,
  media: MediaStream,
  onState: (s: RTCPeerConnectionState) => void,
): Promise<Publication> {
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle' });
  const senders: RTCRtpSender[] = [];
  try {
    for (const track of media.getTracks()) {
      const t = pc.addTransceiver(track, {
        direction: 'sendonly',
        streams: [media],
        sendEncodings: track.kind === 'video' ? [{ maxBitrate: 2_500_000 }] : undefined,
      });
      if (track.kind === 'video') preferH264(t);
      senders.push(t.sender);
    }
    pc.addEventListener('connectionstatechange', () => onState(pc.connectionState));
    await pc.setLocalDescription(await pc.createOffer());
    await waitIceGathering(pc);
    const answer = await postSDP(url, pc.localDescription?.sdp ?? '', streamKey);
    await pc.setRemoteDescription({ type: 'answer', sdp: answer.sdp });
    const replaceTrack = async (track: MediaStreamTrack) => {
      const s = senders.find((x) => x.track?.kind === track.kind);
      if (s) await s.replaceTrack(track);
    };
    return { pc, resource: answer.location, streamKey, replaceTrack };
  } catch (e) {
    pc.close();
    throw e;
  }
}
