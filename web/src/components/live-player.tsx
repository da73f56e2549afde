// The viewer's players. Live: WebRTC (WHEP) first for the lowest delay,
// LL-HLS when WebRTC fails or shows no picture within a few seconds.
// Replay: the recording's HLS playlist, and the product moments to jump to.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { errorMessage } from '../api';
import { clock } from '../format';
import { t } from '../i18n';
import { attachHLS, NoHLSError } from '../live/hls';
import { dropEarlyStage, dropEarlyStageWhenShown, takeEarly } from '../live/early';
import { playWHEP } from '../live/webrtc';
import type { LiveProduct, Moment } from '../types';
import { Thumb } from '../ui';
import { imageThumb } from './live';
import { useMomentAt } from './moment-follow';

/** How long WHEP may take to show a first frame before LL-HLS takes over. */
const WHEP_FRAME_TIMEOUT_MS = 4000;
/** After this many WebRTC failures in one visit, go straight to LL-HLS. */
const WHEP_MAX_TRIES = 2;

type Path = '' | 'whep' | 'hls' | 'replay';

/** pathLabel names the way the video arrives (the protocol names stay as they are). */
function pathLabel(path: Path): string {
  switch (path) {
    case 'whep':
      return 'WebRTC';
    case 'hls':
      return 'LL-HLS';
    case 'replay':
      return t('room.player.replay');
    default:
      return '';
  }
}

/** playerError says why the video cannot play, in the current language when the reason is ours. */
function playerError(e: unknown): string {
  if (!e) return '';
  return e instanceof NoHLSError ? t('room.player.noHLS') : errorMessage(e);
}

/** useMuted follows the video's muted state so the unmute button stays right. */
function useMuted(ref: { current: HTMLVideoElement | null }): [boolean, () => void] {
  const [muted, setMuted] = useState(true);
  useEffect(() => {
    const v = ref.current;
    if (!v) return;
    const sync = () => setMuted(v.muted);
    v.addEventListener('volumechange', sync);
    return () => v.removeEventListener('volumechange', sync);
  }, []);
  const unmute = () => {
    const v = ref.current;
    if (!v) return;
    v.muted = false;
    v.play().catch(() => undefined);
  };
  return [muted, unmute];
}

function Overlay({ path, muted, unmute, waiting, error }: { path: Path; muted: boolean; unmute: () => void; waiting: boolean; error: unknown }) {
  return (
    <>
      {path && (
        <span class="player-path" data-testid="player-path">
          {pathLabel(path)}
        </span>
      )}
      {muted && path && (
        <button class="player-unmute" onClick={unmute} data-testid="unmute">
          {t('room.player.unmute')}
        </button>
      )}
      {waiting && !error && (
        <div class="player-wait">
          <span class="spinner" aria-hidden="true" /> {t('room.player.connecting')}
        </div>
      )}
      {!!error && (
        <div class="player-wait" role="alert">
          {playerError(error)}
        </div>
      )}
    </>
  );
}

/**
 * LivePlayer plays a live room. `?via=hls` in the page address skips
 * WebRTC (to check the fallback, or behind networks that block UDP).
 */
export function LivePlayer({ roomID }: { roomID: string }) {
  const ref = useRef<HTMLVideoElement>(null);
  const [path, setPath] = useState<Path>('');
  const [error, setError] = useState<unknown>(null);
  const [tries, setTries] = useState(0);
  const [muted, unmute] = useMuted(ref);

  // A layout effect: the video gets its stream as the player is put on the
  // page, not a paint later (issue 8: the first frame).
  useLayoutEffect(() => {
    const video = ref.current;
    if (!video) return;
    const ctl = new AbortController();
    let stop: (() => void) | null = null;
    const base = `/live/${encodeURIComponent(roomID)}`;
    const forceHLS = new URLSearchParams(location.search).get('via') === 'hls';
    setPath('');
    setError(null);
    (async () => {
      if (!forceHLS && tries < WHEP_MAX_TRIES && typeof RTCPeerConnection !== 'undefined') {
        try {
          const p = await playWHEP(`${base}/whep`, video, {
            frameTimeoutMs: WHEP_FRAME_TIMEOUT_MS,
            signal: ctl.signal,
            early: tries === 0 ? takeEarly(roomID) : undefined,
            // A connection that drops later starts over (WHEP again, then LL-HLS).
            onFail: () => setTries((n) => n + 1),
          });
          if (ctl.signal.aborted) return p.stop();
          stop = p.stop;
          setPath('whep');
          dropEarlyStageWhenShown(video);
          return;
        } catch (e) {
          if (ctl.signal.aborted) return;
          console.info('liveshop: WebRTC playback failed, using LL-HLS:', errorMessage(e));
        }
      }
      dropEarlyStage();
      try {
        const detach = await attachHLS(video, `${base}/index.m3u8`, { live: true });
        if (ctl.signal.aborted) return detach();
        stop = detach;
        setPath('hls');
      } catch (e) {
        if (!ctl.signal.aborted) setError(e ?? new Error('playback failed'));
      }
    })();
    return () => {
      ctl.abort();
      stop?.();
      dropEarlyStage();
      video.srcObject = null;
    };
  }, [roomID, tries]);

  return (
    <div class="player">
      <video ref={ref} class="player-video" autoplay playsInline muted aria-label={t('room.player.liveVideo')} data-testid="player" data-path={path} />
      <Overlay path={path} muted={muted} unmute={unmute} waiting={!path} error={error} />
    </div>
  );
}

/** ReplayPlayer plays a finished session's recording; onVideo hands its <video> to the moments list. */
export function ReplayPlayer({ roomID, onVideo }: { roomID: string; onVideo?: (v: HTMLVideoElement | null) => void }) {
  const ref = useRef<HTMLVideoElement>(null);
  const [error, setError] = useState<unknown>(null);
  const [ready, setReady] = useState(false);
  const [muted, unmute] = useMuted(ref);

  useEffect(() => {
    const video = ref.current;
    if (!video) return;
    onVideo?.(video);
    let detach: (() => void) | null = null;
    let gone = false;
    attachHLS(video, `/replays/${encodeURIComponent(roomID)}/index.m3u8`, { live: false }).then(
      (d) => {
        if (gone) return d();
        detach = d;
        setReady(true);
      },
      (e) => !gone && setError(e ?? new Error('playback failed')),
    );
    return () => {
      gone = true;
      detach?.();
      onVideo?.(null);
    };
  }, [roomID]);

  return (
    <div class="player">
      <video ref={ref} class="player-video" controls autoplay playsInline muted aria-label={t('room.player.replayVideo')} data-testid="player" data-path="replay" />
      <Overlay path={ready ? 'replay' : ''} muted={muted} unmute={unmute} waiting={!ready} error={error} />
    </div>
  );
}

/**
 * Moments lists where the host explained each product; clicking one seeks
 * the replay there. onMoment reports the product explained at the playhead.
 */
export function Moments(p: { video: HTMLVideoElement | null; moments: Moment[]; products: LiveProduct[]; onMoment?: (productID: string) => void }) {
  const { moments, at } = useMomentAt(p.video, p.moments, p.onMoment);

  if (moments.length === 0) return null;
  const seek = (m: Moment) => {
    const v = p.video;
    if (!v) return;
    v.currentTime = m.offset_ms / 1000;
    v.play().catch(() => undefined);
  };
  const images = new Map(p.products.map((x) => [x.product_id, x.image_id]));
  return (
    <section class="moments">
      <h2 class="section-title">{t('room.moments.title')}</h2>
      <ol class="moment-list" data-testid="moments">
        {moments.map((m) => (
          <li key={m.id}>
            <button class={m.id === at ? 'moment active' : 'moment'} onClick={() => seek(m)} disabled={!p.video} data-testid="moment" data-offset-ms={m.offset_ms} data-product-id={m.product_id}>
              <span class="moment-time mono">{clock(m.offset_ms / 1000)}</span>
              <Thumb src={imageThumb(images.get(m.product_id))} alt={m.title} size="sm" />
              <span class="moment-title">{m.title}</span>
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}
