// The room as the client knows it, and how each server frame changes it.
// Pure functions: the socket (roomsocket.ts) feeds them envelopes in order
// and hands the resulting state to the page.
import { t } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import type { LiveSession } from '../types';
import type {
  Announcement,
  ChatMessage,
  Envelope,
  ErrorFrame,
  ExplainEvent,
  ModerationEvent,
  Question,
  RoomCounts,
  RoomSnapshot,
  RoomYou,
} from './protocol';
import { applySelling, initialSelling, isSellingEvent, type SellingState } from './selling';

/** How many chat lines the client keeps (older ones scroll away). */
export const CHAT_CAP = 200;

export type Connection = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface JoinNotice {
  name: string;
  at: number;
}

export interface RoomState {
  connection: Connection;
  /** A human sentence about the connection ("Reconnecting…", "You are banned…"); "" when all is well. */
  notice: string;
  /** The notice's message key, so that a page can show it again in another language. */
  noticeKey?: MessageKey;
  /** Whether a snapshot arrived on this page: until then the page shows its REST data. */
  synced: boolean;
  lastSeq: number;
  session: LiveSession | null;
  chat: ChatMessage[];
  counts: RoomCounts | null;
  questions: Question[];
  announcement: Announcement | null;
  explaining: ExplainEvent | null;
  slowModeSeconds: number;
  you: RoomYou | null;
  /** Until when the signed-in user is muted (ISO), when the server said. */
  mutedUntil: string;
  join: JoinNotice | null;
  /** The last error frame, with the type of the frame it refused (chat, like, question…). */
  error: (ErrorFrame & { kind: string; at: number }) | null;
  /** Shelf, flash sales, coupons, draws, auctions (live/selling.ts). */
  selling: SellingState;
}

export const initialState: RoomState = {
  connection: 'connecting',
  notice: '',
  synced: false,
  lastSeq: 0,
  session: null,
  chat: [],
  counts: null,
  questions: [],
  announcement: null,
  explaining: null,
  slowModeSeconds: 0,
  you: null,
  mutedUntil: '',
  join: null,
  error: null,
  selling: initialSelling,
};

/** upsert replaces the item with the same id, or appends it. */
function upsert<T extends { id: string }>(list: T[], item: T): T[] {
  const i = list.findIndex((x) => x.id === item.id);
  if (i < 0) return [...list, item];
  const out = list.slice();
  out[i] = item;
  return out;
}

/** countsFromSnapshot keeps the live counts but takes the session's likes and peak when the snapshot has no counts. */
function countsFromSnapshot(c: RoomCounts | null, snap: RoomSnapshot): RoomCounts | null {
  if (snap.likes === undefined && snap.peak === undefined) return c;
  const base = c ?? { current: 0, peak: 0, unique: 0, likes: 0 };
  return { ...base, likes: snap.likes ?? base.likes, peak: Math.max(base.peak, snap.peak ?? 0) };
}

function applySnapshot(st: RoomState, snap: RoomSnapshot, seq: number): RoomState {
  return {
    ...st,
    synced: true,
    lastSeq: seq,
    session: snap.session ?? st.session,
    chat: (snap.chat ?? []).slice(-CHAT_CAP),
    counts: snap.counts ?? countsFromSnapshot(st.counts, snap),
    questions: snap.questions ?? [],
    announcement: snap.announcement ?? null,
    // The snapshot's session names the product being explained; the event with its card comes later.
    explaining: st.explaining && st.explaining.product_id === snap.session?.explaining_product_id ? st.explaining : null,
    slowModeSeconds: snap.slow_mode_seconds ?? 0,
    you: snap.you ?? null,
    mutedUntil: snap.you?.muted ? (snap.you.muted_until ?? st.mutedUntil) : '',
    // The snapshot's session has the current shelf; the page reloads the rest of the selling state.
    selling: { ...st.selling, shelf: null },
  };
}

function applyModeration(st: RoomState, m: ModerationEvent): RoomState {
  if (m.action === 'slow_mode') return { ...st, slowModeSeconds: m.slow_mode_seconds ?? 0 };
  const mine = !!st.you && !!m.user_id && st.you.user_id === m.user_id;
  if (!mine || !st.you) return st;
  if (m.action === 'mute') return { ...st, you: { ...st.you, muted: true }, mutedUntil: m.until ?? '' };
  if (m.action === 'unmute') return { ...st, you: { ...st.you, muted: false }, mutedUntil: '' };
  if (m.action === 'ban') return { ...st, notice: t('room.conn.banned'), noticeKey: 'room.conn.banned' };
  return st;
}

/** applyQuestion keeps one pinned question: pinning one unpins the others on screen. */
function applyQuestion(st: RoomState, q: Question): RoomState {
  let qs = upsert(st.questions, q);
  if (q.pinned) qs = qs.map((x) => (x.id !== q.id && x.pinned ? { ...x, pinned: false } : x));
  return { ...st, questions: qs };
}

/**
 * applyEnvelope returns the state after one server frame. kinds maps the
 * refs of frames the client sent to their type, so that an error can be
 * shown next to the control that caused it.
 */
export function applyEnvelope(st: RoomState, env: Envelope, kinds: Map<string, string>): RoomState {
  const seq = env.seq ?? 0;
  // A stream event already applied (the replay after a reconnect overlaps what the snapshot held).
  if (seq > 0 && seq <= st.lastSeq && env.type !== 'snapshot') return st;
  const next = seq > st.lastSeq ? { ...st, lastSeq: seq } : st;
  const d = env.data as never;
  switch (env.type) {
    case 'snapshot':
      return applySnapshot(st, d as RoomSnapshot, seq);
    case 'chat': {
      const m = d as ChatMessage;
      if (next.chat.some((x) => x.id === m.id)) return next;
      return { ...next, chat: [...next.chat, m].slice(-CHAT_CAP) };
    }
    case 'chat.deleted': {
      const id = (d as { id: string }).id;
      return { ...next, chat: next.chat.filter((x) => x.id !== id) };
    }
    case 'likes': {
      const n = (d as { count: number }).count ?? 0;
      const c = next.counts ?? { current: 0, peak: 0, unique: 0, likes: 0 };
      return { ...next, counts: { ...c, likes: c.likes + n } };
    }
    case 'counts':
      return { ...next, counts: d as RoomCounts };
    case 'question':
    case 'question.updated':
      return applyQuestion(next, d as Question);
    case 'announcement':
      return { ...next, announcement: d as Announcement };
    case 'moderation':
      return applyModeration(next, d as ModerationEvent);
    case 'explain': {
      const e = d as ExplainEvent;
      const session = next.session ? { ...next.session, explaining_product_id: e.product_id } : null;
      return { ...next, explaining: e, session };
    }
    case 'status':
      return { ...next, session: { ...(next.session ?? {}), ...(d as LiveSession) } };
    case 'join':
      return { ...next, join: { name: (d as { name: string }).name, at: Date.now() } };
    case 'error': {
      const e = d as ErrorFrame;
      return { ...next, error: { ...e, kind: kinds.get(e.ref) ?? '', at: Date.now() } };
    }
    default:
      if (isSellingEvent(env.type)) return { ...next, selling: applySelling(next.selling, env) };
      // pong and types this client does not know yet.
      return next;
  }
}
