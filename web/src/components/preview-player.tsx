// The muted preview of a live room in the watch feed. It plays LL-HLS
// (cheap for the server, cacheable by a CDN) rather than WebRTC: a feed
// flicks through many rooms and a WHEP connection per flick would cost a
// peer connection on the media server each time. Only the card on screen
// mounts one, so at most one or two exist while a swipe settles.
import { useEffect, useRef, useState } from 'preact/hooks';
import { attachHLS } from '../live/hls';
import { t } from '../i18n';

export interface PreviewProps {
  roomID: string;
  /** poster shows until the first frame (the room's cover). */
  poster?: string;
  muted: boolean;
  /** onMuted reports a change the browser made itself (it refused to play with sound). */
  onMuted?: (muted: boolean) => void;
  label: string;
}

/** PreviewPlayer plays a live room's LL-HLS stream muted, inline, from the first frame it has. */
export function PreviewPlayer({ roomID, poster, muted, onMuted, label }: PreviewProps) {
  const ref = useRef<HTMLVideoElement>(null);
  const [playing, setPlaying] = useState(false);
  const [failed, setFailed] = useState(false);
  const mutedRef = useRef(muted);
  mutedRef.current = muted;

  useEffect(() => {
    const v = ref.current;
    if (!v) return;
    let detach: (() => void) | null = null;
    let gone = false;
    setPlaying(false);
    setFailed(false);
    // Set as properties: the muted attribute only sets the default, and
    // autoplay policies look at the property when play() is called.
    v.muted = mutedRef.current;
    v.playsInline = true;
    const onPlaying = () => setPlaying(true);
    v.addEventListener('playing', onPlaying);
    attachHLS(v, `/live/${encodeURIComponent(roomID)}/index.m3u8`, { live: true }).then(
      (d) => {
        if (gone) return d();
        detach = d;
      },
      () => !gone && setFailed(true),
    );
    return () => {
      gone = true;
      v.removeEventListener('playing', onPlaying);
      detach?.();
    };
  }, [roomID]);

  useEffect(() => {
    const v = ref.current;
    if (!v || v.muted === muted) return;
    v.muted = muted;
    if (!muted) {
      // Sound needs the page to have been touched; if the browser still
      // refuses, fall back to playing muted rather than stopping.
      v.play().catch(() => {
        v.muted = true;
        onMuted?.(true);
        v.play().catch(() => undefined);
      });
    }
  }, [muted]);

  return (
    <video
      ref={ref}
      class={playing ? 'watch-video playing' : 'watch-video'}
      poster={poster}
      autoplay
      muted
      playsInline
      aria-label={label}
      data-testid="watch-video"
      data-playing={playing ? 'true' : undefined}
      data-failed={failed ? 'true' : undefined}
      title={failed ? t('watch.noVideo') : undefined}
    />
  );
}
