// The realtime room's WebSocket client (docs/REALTIME.md). One RoomSocket
// per page: it connects to /ws/rooms/{id}, applies the server's frames to a
// RoomState (roomstate.ts), resumes after a drop with ?since=<last seq> so
// no event is missed, and turns close codes into sentences for the viewer.
import { t } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import type { Envelope } from './protocol';
import { applyEnvelope, initialState, type RoomState } from './roomstate';

const ANON_KEY = 'liveshop.anon';
/** Reconnect delays grow from the first to the last, with jitter. */
const BACKOFF_MS = [500, 1000, 2000, 4000, 8000, 15000];
/** A ping keeps idle proxies from closing the connection. */
const PING_MS = 20_000;
/** Counts arrive about every second: this long without any frame means the connection is dead. */
const SILENCE_MS = 45_000;

/** What a close code means for the viewer, and whether to try again. */
interface CloseMeaning {
  /** The notice's message key: the page translates it (again on a language switch). */
  notice: MessageKey;
  retry: boolean;
  soon?: boolean;
}

export function closeMeaning(code: number): CloseMeaning {
  switch (code) {
    case 4003:
      return { notice: 'room.conn.banned', retry: false };
    case 4004:
      return { notice: 'room.conn.notFound', retry: false };
    case 4010:
      return { notice: 'room.conn.ended', retry: false };
    case 4008:
      // The server dropped us for falling behind: catch up at once from the last seq.
      return { notice: 'room.conn.behind', retry: true, soon: true };
    case 4000:
      return { notice: 'room.conn.unreadable', retry: true };
    case 1009:
      return { notice: 'room.conn.tooLarge', retry: true };
    case 1001:
      return { notice: 'room.conn.restarting', retry: true };
    default:
      return { notice: 'room.conn.lost', retry: true };
  }
}

/** anonID is this browser's stable anonymous identity (counts unique viewers who are not signed in). */
export function anonID(): string {
  try {
    let id = localStorage.getItem(ANON_KEY);
    if (!id) {
      const b = new Uint8Array(12);
      crypto.getRandomValues(b);
      id = 'anon_' + Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
      localStorage.setItem(ANON_KEY, id);
    }
    return id;
  } catch {
    return ''; // storage disabled: the server treats the connection as a new viewer
  }
}

/** parseFrames reads one WebSocket message: an envelope or an array of them (batching). */
export function parseFrames(text: string): Envelope[] {
  const v = JSON.parse(text) as Envelope | Envelope[];
  return (Array.isArray(v) ? v : [v]).filter((e) => e && typeof e === 'object' && typeof e.type === 'string');
}

export type Listener = (st: RoomState) => void;
export type EventListener = (env: Envelope) => void;

export class RoomSocket {
  private readonly roomID: string;
  private ws: WebSocket | null = null;
  private st: RoomState = initialState;
  private readonly listeners = new Set<Listener>();
  private readonly eventListeners = new Set<EventListener>();
  /** refs of the frames we sent → their type, to place errors; bounded. */
  private readonly kinds = new Map<string, string>();
  private nextRef = 1;
  private attempt = 0;
  private stopped = false;
  private retryTimer = 0;
  private pingTimer = 0;
  private lastFrameAt = 0;

  constructor(roomID: string) {
    this.roomID = roomID;
    this.onOnline = this.onOnline.bind(this);
  }

  get state(): RoomState {
    return this.st;
  }

  /** subscribe calls fn on every state change; returns the unsubscribe function. */
  subscribe(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** onEvent calls fn for every frame received, after the state took it (for animations: likes, joins). */
  onEvent(fn: EventListener): () => void {
    this.eventListeners.add(fn);
    return () => this.eventListeners.delete(fn);
  }

  start(): void {
    this.stopped = false;
    window.addEventListener('online', this.onOnline);
    this.connect();
  }

  stop(): void {
    this.stopped = true;
    window.removeEventListener('online', this.onOnline);
    window.clearTimeout(this.retryTimer);
    window.clearInterval(this.pingTimer);
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000, 'page closed');
  }

  /** send writes a client frame; it returns the frame's ref, or "" when not connected (the state says why). */
  send(type: string, data: unknown): string {
    if (!this.ws || this.ws.readyState !== WebSocket.OPEN) {
      this.set({
        ...this.st,
        error: { code: 'offline', message: t('room.conn.offline'), ref: '', kind: type, at: Date.now() },
      });
      return '';
    }
    const ref = `c${this.nextRef++}`;
    this.kinds.set(ref, type);
    if (this.kinds.size > 100) this.kinds.delete(this.kinds.keys().next().value as string);
    this.ws.send(JSON.stringify({ type, id: ref, data }));
    return ref;
  }

  chat(text: string): string {
    return this.send('chat', { text });
  }

  like(count: number): string {
    return this.send('like', { count });
  }

  question(text: string): string {
    return this.send('question', { text });
  }

  /**
   * applyLocal applies an event the page learnt from a REST answer (an
   * answered question, a deleted line) without waiting for its echo; the
   * echo then changes nothing.
   */
  applyLocal(type: string, data: unknown): void {
    this.set(applyEnvelope(this.st, { v: 1, type, data }, this.kinds));
  }

  /** clearError forgets the last error frame (the viewer dismissed or corrected it). */
  clearError(): void {
    if (this.st.error) this.set({ ...this.st, error: null });
  }

  private url(): string {
    const q = new URLSearchParams();
    const anon = anonID();
    if (anon) q.set('anon', anon);
    if (this.st.lastSeq > 0) q.set('since', String(this.st.lastSeq));
    const proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    return `${proto}//${location.host}/ws/rooms/${encodeURIComponent(this.roomID)}?${q}`;
  }

  private connect(): void {
    if (this.stopped) return;
    let ws: WebSocket;
    try {
      ws = new WebSocket(this.url());
    } catch {
      this.retry(closeMeaning(0));
      return;
    }
    this.ws = ws;
    ws.onopen = () => {
      if (this.ws !== ws) return;
      this.lastFrameAt = Date.now();
      this.set({ ...this.st, connection: 'open', notice: '', noticeKey: undefined });
      window.clearInterval(this.pingTimer);
      this.pingTimer = window.setInterval(() => this.keepAlive(ws), PING_MS);
    };
    ws.onmessage = (e) => {
      if (this.ws !== ws || typeof e.data !== 'string') return;
      this.lastFrameAt = Date.now();
      this.receive(e.data);
    };
    ws.onclose = (e) => {
      if (this.ws !== ws) return;
      this.ws = null;
      window.clearInterval(this.pingTimer);
      this.retry(closeMeaning(e.code));
    };
  }

  private receive(text: string): void {
    let frames: ReturnType<typeof parseFrames>;
    try {
      frames = parseFrames(text);
    } catch {
      return; // not JSON: ignore the frame rather than drop the room
    }
    let st = this.st;
    for (const env of frames) {
      st = applyEnvelope(st, env, this.kinds);
      // A snapshot or any stream event means the connection works: the next drop starts the backoff over.
      if (env.type === 'snapshot' || (env.seq ?? 0) > 0) this.attempt = 0;
    }
    this.set(st);
    for (const env of frames) for (const fn of this.eventListeners) fn(env);
  }

  private keepAlive(ws: WebSocket): void {
    if (Date.now() - this.lastFrameAt > SILENCE_MS) {
      ws.close(4100, 'silent'); // onclose reconnects
      return;
    }
    if (ws.readyState === WebSocket.OPEN) ws.send(JSON.stringify({ type: 'ping', id: '', data: {} }));
  }

  private retry(m: CloseMeaning): void {
    if (this.stopped) return;
    if (!m.retry) {
      this.set({ ...this.st, connection: 'closed', notice: t(m.notice), noticeKey: m.notice });
      return;
    }
    const base = m.soon ? 250 : BACKOFF_MS[Math.min(this.attempt, BACKOFF_MS.length - 1)];
    this.attempt++;
    const delay = base / 2 + Math.random() * base;
    this.set({ ...this.st, connection: 'reconnecting', notice: t(m.notice), noticeKey: m.notice });
    window.clearTimeout(this.retryTimer);
    this.retryTimer = window.setTimeout(() => this.connect(), delay);
  }

  /** onOnline reconnects at once when the browser regains the network. */
  private onOnline(): void {
    if (this.stopped || this.ws || this.st.connection === 'closed') return;
    window.clearTimeout(this.retryTimer);
    this.connect();
  }

  private set(st: RoomState): void {
    this.st = st;
    for (const fn of this.listeners) fn(st);
  }
}
