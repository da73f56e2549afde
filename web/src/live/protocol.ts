// Shapes of the realtime room (docs/REALTIME.md): the WebSocket envelopes,
// the room events they carry and the REST resources around them.
import type { LiveProduct, LiveSession, Moment } from '../types';

/** A chat line. offset_ms is its position in the session's recording (replays play the chat). */
export interface ChatMessage {
  id: string;
  user_id: string;
  name: string;
  /** viewer | host | operator | admin */
  role: string;
  text: string;
  offset_ms: number;
  created_at: string;
}

export interface Question {
  id: string;
  user_id: string;
  name: string;
  text: string;
  status: 'open' | 'answered';
  answer: string;
  pinned: boolean;
  created_at: string;
}

export interface Announcement {
  id: string;
  text: string;
  by: string;
  created_at: string;
}

/** Viewer counts across every realtime node: now, the peak, distinct viewers, and the session's likes. */
export interface RoomCounts {
  current: number;
  peak: number;
  unique: number;
  likes: number;
}

/** Who the connection speaks for. role: anonymous | viewer | host | operator | admin. */
export interface RoomYou {
  user_id: string;
  name: string;
  role: string;
  muted: boolean;
  muted_until?: string;
}

export interface RoomSnapshot {
  session: LiveSession;
  counts: RoomCounts | null;
  chat: ChatMessage[] | null;
  questions: Question[] | null;
  announcement: Announcement | null;
  slow_mode_seconds: number;
  you: RoomYou | null;
  /** The domain's snapshot carries these; the socket adds them up into counts. */
  likes?: number;
  peak?: number;
  /** Set when the client asked to resume from a seq the server no longer keeps. */
  reset?: boolean;
}

export interface ModerationEvent {
  action: 'mute' | 'unmute' | 'ban' | 'unban' | 'slow_mode';
  user_id?: string;
  until?: string;
  slow_mode_seconds?: number;
}

/** The explain event: the moment and the product as it sits on the shelf. */
export interface ExplainEvent extends Moment {
  product: LiveProduct;
}

export interface ErrorFrame {
  code: string;
  message: string;
  ref: string;
}

/** One server → client frame; stream events carry seq, ephemeral frames (counts, join, snapshot…) do not. */
export interface Envelope {
  v: number;
  type: string;
  seq?: number;
  ts?: number;
  data: unknown;
}

/** An entry of the moderation log (GET /live-sessions/{id}/moderation). */
export interface ModerationAction {
  id: string;
  session_id?: string;
  action: string;
  user_id?: string;
  user_name?: string;
  message_id?: string;
  by?: string;
  by_name?: string;
  reason?: string;
  minutes?: number;
  until?: string;
  slow_mode_seconds?: number;
  created_at: string;
}

/** A viewer's report of a chat line (GET /live-sessions/{id}/reports). */
export interface ChatReport {
  id: string;
  session_id?: string;
  message_id: string;
  reason: string;
  reporter_id?: string;
  reporter_name?: string;
  /** The reported line, when the server joins it in. */
  message?: ChatMessage | null;
  message_deleted?: boolean;
  text?: string;
  created_at: string;
}

/** Character count as the server counts it (code points, not UTF-16 units). */
export function charCount(s: string): number {
  return [...s].length;
}

export const MAX_TEXT = 200;

/** The room's funnel as the dashboard carries it (distinct viewers per step, orders from attributed lines). */
export interface DashboardFunnel {
  views: number;
  product_opens: number;
  buy_clicks: number;
  orders: number;
  paid_orders: number;
  paid_buyers: number;
  gmv_minor: number;
  currency: string;
  conversion: number;
}

/** One product's numbers in the room: clicks are opens, orders the lines placed, units and GMV what was paid. */
export interface DashboardProduct {
  product_id: string;
  title: string;
  clicks: number;
  orders: number;
  units: number;
  gmv_minor: number;
}

/** The live room dashboard (GET /live-sessions/{id}/dashboard, and the `dashboard` frame every 2 s to operators). */
export interface RoomDashboard {
  session_id: string;
  status: string;
  current_viewers: number;
  peak_viewers: number;
  unique_viewers: number;
  views: number;
  watch_seconds: number;
  watch_minutes: number;
  likes: number;
  new_followers: number;
  product_clicks: number;
  buy_clicks: number;
  orders: number;
  paid_orders: number;
  gmv_minor: number;
  currency: string;
  conversion: number;
  funnel: DashboardFunnel;
  products: DashboardProduct[];
  updated_at: string;
}
