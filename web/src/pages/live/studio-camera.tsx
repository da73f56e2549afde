// Going live from the browser: camera and microphone preview with device
// pickers, front/back switch and mute, then WHIP publishing (H.264
// preferred). Stop sends the WHIP DELETE, which ends the session; leaving
// the page only drops the connection, so the host can come back within the
// reconnect grace.
//
// useCamera holds the camera and the publication; the studio calls it once
// at its top, so opening sheets, switching tabs or changing layout never
// touches the stream. The pieces below only render what it holds.
import type { Ref } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { deleteSDPResource, errorMessage } from '../../api';
import { publishWHIP, type Publication } from '../../live/webrtc';
import type { LiveSession } from '../../types';
import { t } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { Button, val } from '../../ui';
import { Icon } from './studio-icons';

/** The browser publishes to the same origin; Studio.whip_url is for other tools (OBS). */
const WHIP_PATH = '/whip';

export type Facing = 'user' | 'environment';

function videoConstraints(deviceId: string, facing: Facing | ''): MediaTrackConstraints {
  const which = deviceId ? { deviceId: { exact: deviceId } } : facing ? { facingMode: { ideal: facing } } : {};
  return { ...which, width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };
}

function audioConstraints(deviceId: string): MediaTrackConstraints | boolean {
  return deviceId ? { deviceId: { exact: deviceId }, echoCancellation: true, noiseSuppression: true } : true;
}

/** cameraAllowed reports whether the camera may be opened without a prompt. */
async function cameraAllowed(): Promise<boolean> {
  try {
    const p = await navigator.permissions.query({ name: 'camera' as PermissionName });
    return p.state === 'granted';
  } catch {
    return false;
  }
}

/** stateText names a WebRTC connection state; an unknown one shows as it is. */
export function stateText(s: string): string {
  const key = `studio.camera.state.${s}` as MessageKey;
  const text = t(key);
  return text === key ? s : text;
}

export interface Camera {
  preview: Ref<HTMLVideoElement>;
  media: MediaStream | null;
  cams: MediaDeviceInfo[];
  mics: MediaDeviceInfo[];
  camID: string;
  micID: string;
  facing: Facing;
  muted: boolean;
  pub: Publication | null;
  state: RTCPeerConnectionState | '';
  busy: boolean;
  error: Error | null;
  /** over: the session has ended, the camera cannot go live again. */
  over: boolean;
  /** elsewhere: the session is live from a streaming app, not from here. */
  elsewhere: boolean;
  open: (cam: string, mic: string) => Promise<MediaStream | null>;
  flip: () => Promise<void>;
  toggleMute: () => void;
  goLive: () => Promise<void>;
  stop: () => Promise<void>;
}

/**
 * useCamera owns the camera, the microphone and the WHIP publication of one
 * session. onChange asks the studio to re-read the session (it has gone live or ended).
 */
export function useCamera(session: LiveSession, streamKey: string, onChange: () => void): Camera {
  const preview = useRef<HTMLVideoElement>(null);
  const [media, setMedia] = useState<MediaStream | null>(null);
  const [cams, setCams] = useState<MediaDeviceInfo[]>([]);
  const [mics, setMics] = useState<MediaDeviceInfo[]>([]);
  const [camID, setCamID] = useState('');
  const [micID, setMicID] = useState('');
  const [facing, setFacing] = useState<Facing>('user');
  const [muted, setMuted] = useState(false);
  const [pub, setPub] = useState<Publication | null>(null);
  const [state, setState] = useState<RTCPeerConnectionState | ''>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  // Refs for callbacks and the unmount cleanup, which must see the latest values.
  const live = useRef<{ media: MediaStream | null; pub: Publication | null; muted: boolean }>({ media: null, pub: null, muted: false });
  live.current = { media, pub, muted };

  useEffect(() => {
    void cameraAllowed().then((ok) => {
      if (ok) void open('', '');
    });
    return () => {
      live.current.pub?.pc.close();
      live.current.media?.getTracks().forEach((t) => t.stop());
    };
  }, []);

  // The video element can appear after the stream (the layout changed): attach it.
  useEffect(() => {
    const v = preview.current;
    if (v && media && v.srcObject !== media) v.srcObject = media;
  });

  // Once the session is over (ended here, from OBS's side or by an admin) the connection is useless.
  const over = session.status === 'ended' || session.status === 'replay';
  useEffect(() => {
    if (!over) return;
    live.current.pub?.pc.close();
    setPub(null);
    setState('');
    setError(null);
    // Nothing more to send: free the camera (its light goes off).
    live.current.media?.getTracks().forEach((t) => t.stop());
    setMedia(null);
  }, [over]);

  // Warn before closing the tab while publishing.
  useEffect(() => {
    if (!pub) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [pub]);

  /** open starts (or switches) the camera and microphone; a live publication gets the new tracks. */
  async function open(cam: string, mic: string, face: Facing | '' = ''): Promise<MediaStream | null> {
    setError(null);
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw new Error(t('studio.camera.noCamera'));
      // Some phones cannot open a second camera while one is open: let go first.
      if (face) live.current.media?.getVideoTracks().forEach((t) => t.stop());
      const next = await navigator.mediaDevices.getUserMedia({ video: videoConstraints(cam, face), audio: audioConstraints(mic) });
      next.getAudioTracks().forEach((a) => (a.enabled = !live.current.muted));
      const p = live.current.pub;
      if (p) for (const t of next.getTracks()) await p.replaceTrack(t);
      live.current.media?.getTracks().forEach((t) => t.stop());
      setMedia(next);
      if (preview.current) preview.current.srcObject = next;
      const devices = await navigator.mediaDevices.enumerateDevices();
      setCams(devices.filter((d) => d.kind === 'videoinput'));
      setMics(devices.filter((d) => d.kind === 'audioinput'));
      const v = next.getVideoTracks()[0]?.getSettings();
      setCamID(v?.deviceId ?? cam);
      setMicID(next.getAudioTracks()[0]?.getSettings().deviceId ?? mic);
      if (v?.facingMode === 'user' || v?.facingMode === 'environment') setFacing(v.facingMode);
      else if (face) setFacing(face);
      return next;
    } catch (e) {
      setError(new Error(t('studio.camera.deviceError', { error: errorMessage(e) })));
      return null;
    }
  }

  /** flip switches between the front and back camera (on a laptop: to the next camera). */
  async function flip() {
    if (cams.length > 1 && !cams.some((c) => /front|back|rear|user|environment/i.test(c.label))) {
      const i = cams.findIndex((c) => c.deviceId === camID);
      await open(cams[(i + 1) % cams.length].deviceId, micID);
      return;
    }
    await open('', micID, facing === 'user' ? 'environment' : 'user');
  }

  function toggleMute() {
    const next = !muted;
    media?.getAudioTracks().forEach((a) => (a.enabled = !next));
    setMuted(next);
  }

  async function goLive() {
    setBusy(true);
    setError(null);
    try {
      const m = media ?? (await open(camID, micID));
      if (!m) return;
      const p = await publishWHIP(WHIP_PATH, streamKey, m, (s) => {
        setState(s);
        if (s === 'connected') onChange();
        if (s === 'failed') {
          // The session stays live for the reconnect grace: offer Go live again.
          p.pc.close();
          setPub(null);
          setError(new Error(t('studio.camera.lost')));
        }
      });
      setPub(p);
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    } finally {
      setBusy(false);
    }
  }

  async function stop() {
    if (!pub || !confirm(t('studio.camera.stopConfirm'))) return;
    setBusy(true);
    try {
      await deleteSDPResource(pub.resource, pub.streamKey);
    } catch (e) {
      setError(e instanceof Error ? e : new Error(String(e)));
    }
    pub.pc.close();
    setPub(null);
    setState('');
    setBusy(false);
    onChange();
  }

  const elsewhere = session.status === 'live' && session.protocol === 'rtmp' && !pub;
  return { preview, media, cams, mics, camID, micID, facing, muted, pub, state, busy, error, over, elsewhere, open, flip, toggleMute, goLive, stop };
}

/** CameraPreview is the camera's picture (mirrored for the front camera), with a button to turn it on. */
export function CameraPreview({ cam }: { cam: Camera }) {
  return (
    <>
      <video ref={cam.preview} class={cam.facing === 'user' ? 'studio-video mirror' : 'studio-video'} autoplay playsInline muted data-testid="preview" />
      {!cam.media && !cam.over && (
        <div class="studio-video-wait">
          <Button kind="secondary" onClick={() => cam.open(cam.camID, cam.micID)} disabled={cam.over} data-testid="camera-on">
            {t('studio.camera.turnOn')}
          </Button>
        </div>
      )}
    </>
  );
}

/** CameraDevices picks the camera and the microphone by name (the laptop layout). */
export function CameraDevices({ cam }: { cam: Camera }) {
  if (cam.cams.length === 0 && cam.mics.length === 0) return null;
  return (
    <div class="row2 devices">
      <label class="field">
        <span class="field-label">{t('studio.camera.camera')}</span>
        <select value={cam.camID} onChange={(e) => cam.open(val(e), cam.micID)} data-testid="camera-select">
          {cam.cams.map((d, i) => (
            <option key={d.deviceId} value={d.deviceId}>
              {d.label || t('studio.camera.cameraN', { n: i + 1 })}
            </option>
          ))}
        </select>
      </label>
      <label class="field">
        <span class="field-label">{t('studio.camera.mic')}</span>
        <select value={cam.micID} onChange={(e) => cam.open(cam.camID, val(e))} data-testid="mic-select">
          {cam.mics.map((d, i) => (
            <option key={d.deviceId} value={d.deviceId}>
              {d.label || t('studio.camera.micN', { n: i + 1 })}
            </option>
          ))}
        </select>
      </label>
    </div>
  );
}

/** CameraToggles are the round buttons over the picture: switch camera and mute. */
export function CameraToggles({ cam }: { cam: Camera }) {
  return (
    <div class="studio-toggles">
      <button type="button" class="studio-round" onClick={() => void cam.flip()} disabled={!cam.media || cam.over} aria-label={t('studio.camera.flip')} title={t('studio.camera.flip')} data-testid="camera-flip">
        <Icon name="flip" />
      </button>
      <button
        type="button"
        class={cam.muted ? 'studio-round on' : 'studio-round'}
        onClick={cam.toggleMute}
        disabled={!cam.media}
        aria-pressed={cam.muted}
        aria-label={t('studio.camera.mute')}
        title={cam.muted ? t('studio.camera.muted') : t('studio.camera.mute')}
        data-testid="mic-mute"
      >
        <Icon name={cam.muted ? 'micOff' : 'mic'} />
      </button>
    </div>
  );
}
