// Going live from the browser: camera and microphone preview with device
// pickers, then WHIP publishing (H.264 preferred). Stop sends the WHIP
// DELETE, which ends the session; leaving the page only drops the
// connection, so the host can come back within the reconnect grace.
import { useEffect, useRef, useState } from 'preact/hooks';
import { deleteSDPResource, errorMessage } from '../../api';
import { publishWHIP, type Publication } from '../../live/webrtc';
import type { LiveSession } from '../../types';
import { t } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { Button, Card, FormError, val } from '../../ui';

/** The browser publishes to the same origin; Studio.whip_url is for other tools (OBS). */
const WHIP_PATH = '/whip';

function videoConstraints(deviceId: string): MediaTrackConstraints {
  return { ...(deviceId ? { deviceId: { exact: deviceId } } : {}), width: { ideal: 1280 }, height: { ideal: 720 }, frameRate: { ideal: 30 } };
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
function stateText(s: string): string {
  const key = `studio.camera.state.${s}` as MessageKey;
  const text = t(key);
  return text === key ? s : text;
}

interface Props {
  session: LiveSession;
  streamKey: string;
  /** onChange asks the studio to re-read the session (it has gone live or ended). */
  onChange: () => void;
}

export function CameraPanel({ session, streamKey, onChange }: Props) {
  const preview = useRef<HTMLVideoElement>(null);
  const [media, setMedia] = useState<MediaStream | null>(null);
  const [cams, setCams] = useState<MediaDeviceInfo[]>([]);
  const [mics, setMics] = useState<MediaDeviceInfo[]>([]);
  const [camID, setCamID] = useState('');
  const [micID, setMicID] = useState('');
  const [pub, setPub] = useState<Publication | null>(null);
  const [state, setState] = useState<RTCPeerConnectionState | ''>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<Error | null>(null);
  // Refs for the unmount cleanup, which must see the latest values.
  const live = useRef<{ media: MediaStream | null; pub: Publication | null }>({ media: null, pub: null });
  live.current = { media, pub };

  useEffect(() => {
    void cameraAllowed().then((ok) => {
      if (ok) void open('', '');
    });
    return () => {
      live.current.pub?.pc.close();
      live.current.media?.getTracks().forEach((t) => t.stop());
    };
  }, []);

  // Once the session is over (ended here, from OBS's side or by an admin) the connection is useless.
  const over = session.status === 'ended' || session.status === 'replay';
  useEffect(() => {
    if (!over || !live.current.pub) return;
    live.current.pub.pc.close();
    setPub(null);
    setState('');
    setError(null);
  }, [over]);

  // Warn before closing the tab while publishing.
  useEffect(() => {
    if (!pub) return;
    const warn = (e: BeforeUnloadEvent) => e.preventDefault();
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [pub]);

  /** open starts (or switches) the camera and microphone; a live publication gets the new tracks. */
  async function open(cam: string, mic: string): Promise<MediaStream | null> {
    setError(null);
    try {
      if (!navigator.mediaDevices?.getUserMedia) throw new Error(t('studio.camera.noCamera'));
      const next = await navigator.mediaDevices.getUserMedia({ video: videoConstraints(cam), audio: audioConstraints(mic) });
      const p = live.current.pub;
      if (p) for (const t of next.getTracks()) await p.replaceTrack(t);
      live.current.media?.getTracks().forEach((t) => t.stop());
      setMedia(next);
      if (preview.current) preview.current.srcObject = next;
      const devices = await navigator.mediaDevices.enumerateDevices();
      setCams(devices.filter((d) => d.kind === 'videoinput'));
      setMics(devices.filter((d) => d.kind === 'audioinput'));
      setCamID(next.getVideoTracks()[0]?.getSettings().deviceId ?? cam);
      setMicID(next.getAudioTracks()[0]?.getSettings().deviceId ?? mic);
      return next;
    } catch (e) {
      setError(new Error(t('studio.camera.deviceError', { error: errorMessage(e) })));
      return null;
    }
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
    await deleteSDPResource(pub.resource, pub.streamKey);
    pub.pc.close();
    setPub(null);
    setState('');
    setBusy(false);
    onChange();
  }

  const elsewhere = session.status === 'live' && session.protocol === 'rtmp' && !pub;
  return (
    <Card title={t('studio.camera.title')} actions={pub && <span class={state === 'connected' ? 'badge badge-bad' : 'badge badge-warn'}>{state === 'connected' ? t('studio.camera.onAir') : stateText(state || 'connecting')}</span>}>
      <div class="player preview">
        <video ref={preview} class="player-video mirror" autoplay playsInline muted data-testid="preview" />
        {!media && (
          <div class="player-wait">
            <Button kind="secondary" onClick={() => open(camID, micID)} disabled={over} data-testid="camera-on">
              {t('studio.camera.turnOn')}
            </Button>
          </div>
        )}
      </div>
      {(cams.length > 0 || mics.length > 0) && (
        <div class="row2 devices">
          <label class="field">
            <span class="field-label">{t('studio.camera.camera')}</span>
            <select value={camID} onChange={(e) => open(val(e), micID)} data-testid="camera-select">
              {cams.map((d, i) => (
                <option key={d.deviceId} value={d.deviceId}>
                  {d.label || t('studio.camera.cameraN', { n: i + 1 })}
                </option>
              ))}
            </select>
          </label>
          <label class="field">
            <span class="field-label">{t('studio.camera.mic')}</span>
            <select value={micID} onChange={(e) => open(camID, val(e))} data-testid="mic-select">
              {mics.map((d, i) => (
                <option key={d.deviceId} value={d.deviceId}>
                  {d.label || t('studio.camera.micN', { n: i + 1 })}
                </option>
              ))}
            </select>
          </label>
        </div>
      )}
      <FormError err={error} />
      <div class="actions">
        {pub ? (
          <Button kind="danger" class="wide big" busy={busy} onClick={stop} data-testid="stop-live">
            {t('studio.camera.stop')}
          </Button>
        ) : (
          <Button class="wide big" busy={busy} disabled={over || elsewhere} onClick={goLive} data-testid="go-live">
            {t('studio.camera.goLive')}
          </Button>
        )}
      </div>
      <p class="hint">
        {over
          ? t('studio.camera.over')
          : elsewhere
            ? t('studio.camera.elsewhere')
            : t('studio.camera.hint')}
      </p>
    </Card>
  );
}
