// The like button with floating hearts. Taps are counted locally and sent
// as one `like {count}` frame every ~300 ms (the server aggregates them
// again per node); other viewers' likes float up too, a few hearts per wave.
import { useEffect, useRef, useState } from 'preact/hooks';
import { locale, t } from '../i18n';
import type { Envelope } from '../live/protocol';
import type { RoomSocket } from '../live/roomsocket';
import { useRoomEvents } from '../live/useroom';
import { useSession } from '../session';

const FLUSH_MS = 300;
/** The server takes 1–50 taps per frame. */
const MAX_PER_FRAME = 50;
/** Hearts on screen at once; more taps still count. */
const MAX_HEARTS = 24;
const HEART_MS = 1600;
const COLOURS = ['#ff2d55', '#ff6a00', '#ff8fab', '#ffd166', '#c77dff', '#4cc9f0'];

interface Heart {
  id: number;
  x: number;
  colour: string;
  delay: number;
}

/** compact renders 1234 as "1.2k"; in Chinese, 12345 as "1.2万" (counts go by ten thousands). */
export function compact(n: number): string {
  if (locale() === 'zh-CN') {
    if (n < 10_000) return String(n);
    if (n < 100_000_000) return `${(n / 10_000).toFixed(1).replace(/\.0$/, '')}万`;
    return `${(n / 100_000_000).toFixed(1).replace(/\.0$/, '')}亿`;
  }
  if (n < 1000) return String(n);
  if (n < 1_000_000) return `${(n / 1000).toFixed(n < 10_000 ? 1 : 0).replace(/\.0$/, '')}k`;
  return `${(n / 1_000_000).toFixed(1).replace(/\.0$/, '')}M`;
}

function useHearts(): [Heart[], (n: number) => void] {
  const [hearts, setHearts] = useState<Heart[]>([]);
  const next = useRef(1);
  const spawn = (n: number) => {
    const born: Heart[] = [];
    for (let i = 0; i < n; i++) {
      born.push({ id: next.current++, x: Math.round(Math.random() * 36 - 18), colour: COLOURS[Math.floor(Math.random() * COLOURS.length)], delay: i * 120 });
    }
    setHearts((h) => [...h, ...born].slice(-MAX_HEARTS));
    const ids = new Set(born.map((b) => b.id));
    window.setTimeout(() => setHearts((h) => h.filter((x) => !ids.has(x.id))), HEART_MS + n * 120);
  };
  return [hearts, spawn];
}

/**
 * LikeButton shows the session's likes and sends the viewer's taps.
 * Anonymous viewers see hearts but are asked to sign in for them to count.
 */
export function LikeButton({ sock, likes, enabled }: { sock: RoomSocket | null; likes: number | undefined; enabled: boolean }) {
  const me = useSession().me;
  const [hearts, spawn] = useHearts();
  const pending = useRef(0);
  /** Our taps sent but not yet seen in a `likes` event: those waves are not animated twice. */
  const unechoed = useRef(0);
  const [hint, setHint] = useState(false);
  /** Each tap restarts the burst around the button (a new key replays its animation). */
  const [burst, setBurst] = useState(0);

  useEffect(() => {
    if (!sock || !enabled) return;
    const t = window.setInterval(() => {
      if (pending.current <= 0) return;
      const n = Math.min(pending.current, MAX_PER_FRAME);
      if (sock.like(n)) {
        pending.current -= n;
        unechoed.current += n;
      } else {
        pending.current = 0; // offline: the state shows why; do not pile up taps
      }
    }, FLUSH_MS);
    return () => window.clearInterval(t);
  }, [sock, enabled]);

  useRoomEvents(sock, (e: Envelope) => {
    if (e.type !== 'likes') return;
    const n = (e.data as { count?: number }).count ?? 0;
    const others = Math.max(0, n - unechoed.current);
    unechoed.current = Math.max(0, unechoed.current - n);
    if (others > 0) spawn(Math.min(others, 5));
  });

  const tap = () => {
    spawn(1);
    setBurst((n) => n + 1);
    if (!me.user) {
      setHint(true);
      return;
    }
    if (enabled) pending.current += 1;
  };

  return (
    <div class="likes">
      <div class="hearts" aria-hidden="true">
        {hearts.map((h) => (
          <span key={h.id} class="heart" style={{ '--x': `${h.x}px`, color: h.colour, animationDelay: `${h.delay}ms` }}>
            ♥
          </span>
        ))}
      </div>
      {hint && (
        <span class="like-hint" role="status">
          {t('room.likes.signin')}
        </span>
      )}
      <button type="button" class="like-button" onClick={tap} aria-label={t('room.likes.like')} data-testid="like-button">
        {burst > 0 && <span class="like-burst" key={burst} aria-hidden="true" />}
        <span class="like-icon" aria-hidden="true">
          ♥
        </span>
        <span class="like-count" data-testid="like-count">
          {likes === undefined ? '' : compact(likes)}
        </span>
      </button>
    </div>
  );
}
