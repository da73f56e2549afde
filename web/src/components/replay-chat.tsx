// A replay plays its chat: the lines whose offset_ms is at or before the
// video's current time, loaded page by page a little ahead of the playhead.
// A seek outside what is loaded starts a fresh window there.
import { useEffect, useRef, useState } from 'preact/hooks';
import { room } from '../api';
import { t } from '../i18n';
import type { ChatMessage } from '../live/protocol';
import { CHAT_CAP } from '../live/roomstate';
import { ChatLines } from './room-chat';

const PAGE = 100;
/** Keep chat loaded this far past the playhead. */
const AHEAD_MS = 120_000;
/** After a jump, load from this far before the playhead so the screen is not empty. */
const BEHIND_MS = 60_000;

interface Window {
  gen: number;
  from: number;
  /** Offset of the last line loaded (everything in [from, to] is here). */
  to: number;
  cursor: string;
  done: boolean;
  loading: boolean;
  /** After a failed page, no new attempt before this time (timeupdate fires 4 times a second). */
  retryAt: number;
}

/** visible returns the last CHAT_CAP lines at or before t ms (lines are sorted by offset). */
export function visible(lines: ChatMessage[], t: number): ChatMessage[] {
  let n = 0;
  while (n < lines.length && lines[n].offset_ms <= t) n++;
  return lines.slice(Math.max(0, n - CHAT_CAP), n);
}

export function useReplayChat(sessionID: string, video: HTMLVideoElement | null): { lines: ChatMessage[]; error: string } {
  const all = useRef<ChatMessage[]>([]);
  const win = useRef<Window>({ gen: 0, from: 0, to: 0, cursor: '', done: false, loading: false, retryAt: 0 });
  const [lines, setLines] = useState<ChatMessage[]>([]);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    if (!video) return;
    let gone = false;
    const now = () => Math.round(video.currentTime * 1000);
    const show = () => {
      const v = visible(all.current, now());
      setLines((old) => (old.length === v.length && old[old.length - 1]?.id === v[v.length - 1]?.id ? old : v));
    };
    const load = () => {
      const w = win.current;
      if (gone || w.loading || w.done || w.to > now() + AHEAD_MS || Date.now() < w.retryAt) return;
      w.loading = true;
      const gen = w.gen;
      room.chat(sessionID, { from_ms: w.from, cursor: w.cursor, limit: PAGE }).then(
        (pg) => {
          if (gone || gen !== win.current.gen) return;
          const seen = new Set(all.current.map((m) => m.id));
          const fresh = pg.items.filter((m) => !seen.has(m.id));
          all.current = [...all.current, ...fresh].sort((a, b) => a.offset_ms - b.offset_ms);
          w.loading = false;
          w.cursor = pg.next_cursor;
          w.done = !pg.next_cursor || pg.items.length === 0;
          w.to = w.done ? Number.POSITIVE_INFINITY : (pg.items[pg.items.length - 1]?.offset_ms ?? w.to);
          setFailed(false);
          show();
          load();
        },
        () => {
          if (gone || gen !== win.current.gen) return;
          w.loading = false;
          w.retryAt = Date.now() + 5000;
          setFailed(true);
        },
      );
    };
    const follow = () => {
      const t = now();
      const w = win.current;
      // A jump before the window, or far past what is loaded: start a new window there.
      if (t < w.from || (!w.done && t > w.to + AHEAD_MS)) {
        win.current = { gen: w.gen + 1, from: Math.max(0, t - BEHIND_MS), to: 0, cursor: '', done: false, loading: false, retryAt: 0 };
        win.current.to = win.current.from;
        all.current = [];
      }
      show();
      load();
    };
    follow();
    video.addEventListener('timeupdate', follow);
    video.addEventListener('seeked', follow);
    return () => {
      gone = true;
      video.removeEventListener('timeupdate', follow);
      video.removeEventListener('seeked', follow);
    };
  }, [sessionID, video]);

  return { lines, error: failed ? t('room.chat.replayFailed') : '' };
}

/** ReplayChat shows the replay's chat as it was at the playhead. */
export function ReplayChat({ sessionID, video, mode }: { sessionID: string; video: HTMLVideoElement | null; mode: 'overlay' | 'panel' }) {
  const { lines, error } = useReplayChat(sessionID, video);
  return (
    <div class={`replay-chat replay-chat-${mode}`} data-testid="replay-chat">
      <ChatLines lines={lines} mode={mode} empty={mode === 'panel' ? t('room.chat.replayEmpty') : undefined} />
      {error && <p class="muted small">{error}</p>}
    </div>
  );
}
