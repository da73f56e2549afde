// The REST client: one fetch wrapper that sends the CSRF token on every
// non-GET request, keeps cookies same-origin and turns the server's error
// shape {"error": {code, message, field}} into an ApiError.
import type { Announcement, ChatMessage, ChatReport, ModerationAction, Question } from './live/protocol';
import type { Auction, BidResult, Coupon, CouponClaim, Draw, DrawEligibility, FlashSale, FunnelCounts, FunnelStep, LiveHealth, LiveSession, Moment, Order, Reservation, SellingSnapshot, Studio } from './types';

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string;

  constructor(status: number, code: string, message: string, field = '') {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.field = field;
  }
}

const BASE = '/api/v1';

let csrfToken = '';

/** setCSRFToken stores the token from sign-in, sign-up or GET /me. */
export function setCSRFToken(token: string | undefined | null): void {
  csrfToken = token ?? '';
}

export type Query = Record<string, string | number | boolean | undefined | null>;

export interface RequestOptions {
  query?: Query;
  body?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

function withQuery(path: string, query?: Query): string {
  if (!query) return path;
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) {
    if (v === undefined || v === null || v === '' || v === false) continue;
    q.set(k, v === true ? '1' : String(v));
  }
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

async function parseError(res: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await res.json();
  } catch {
    // not JSON: fall through to a generic message
  }
  const e = (body as { error?: { code?: string; message?: string; field?: string } } | null)?.error;
  if (e && typeof e.message === 'string') {
    return new ApiError(res.status, e.code ?? 'error', e.message, e.field ?? '');
  }
  return new ApiError(res.status, res.status >= 500 ? 'internal' : 'error', `request failed (${res.status} ${res.statusText})`);
}

function isCSRFRefusal(err: ApiError): boolean {
  return err.status === 403 && /csrf/i.test(err.message);
}

async function send(method: string, path: string, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json', ...opts.headers };
  let body: BodyInit | undefined;
  if (opts.form) {
    body = opts.form;
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.body);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) {
    headers['X-CSRF-Token'] = csrfToken;
  }
  return fetch(BASE + withQuery(path, opts.query), {
    method,
    headers,
    body,
    credentials: 'same-origin',
    signal: opts.signal,
  });
}

/** request performs one API call and returns the decoded JSON body (or null for 204). */
export async function request<T = unknown>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  let res: Response;
  try {
    res = await send(method, path, opts);
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'cannot reach the server; check your connection and try again');
  }
  if (!res.ok) {
    let err = await parseError(res);
    // A stale CSRF token (e.g. the session was renewed in another tab):
    // fetch a fresh one and try once more.
    if (method !== 'GET' && isCSRFRefusal(err)) {
      await refreshCSRF();
      res = await send(method, path, opts);
      if (res.ok) return decode<T>(res);
      err = await parseError(res);
    }
    throw err;
  }
  return decode<T>(res);
}

async function decode<T>(res: Response): Promise<T> {
  if (res.status === 204) return null as T;
  const text = await res.text();
  if (!text) return null as T;
  try {
    return JSON.parse(text) as T;
  } catch {
    throw new ApiError(res.status, 'internal', 'the server sent a response that is not JSON');
  }
}

async function refreshCSRF(): Promise<void> {
  const res = await send('GET', '/me', {});
  if (res.ok) {
    const me = (await res.json()) as { csrf_token?: string };
    setCSRFToken(me.csrf_token);
  }
}

export const api = {
  get: <T = unknown>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T = unknown>(path: string, body?: unknown, headers?: Record<string, string>) =>
    request<T>('POST', path, { body: body ?? {}, headers }),
  put: <T = unknown>(path: string, body?: unknown) => request<T>('PUT', path, { body: body ?? {} }),
  patch: <T = unknown>(path: string, body?: unknown) => request<T>('PATCH', path, { body: body ?? {} }),
  del: <T = unknown>(path: string) => request<T>('DELETE', path),
  upload: <T = unknown>(path: string, form: FormData) => request<T>('POST', path, { form }),
};

/**
 * one returns the resource from a response that is either the resource
 * itself or an envelope such as {"shop": {...}}: the named key, else the
 * envelope's only object-valued member.
 */
export function one<T>(body: unknown, key: string): T {
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    const o = body as Record<string, unknown>;
    if ('id' in o) return body as T;
    if (o[key] && typeof o[key] === 'object') return o[key] as T;
    const objs = Object.values(o).filter((v) => v && typeof v === 'object' && !Array.isArray(v));
    if (objs.length === 1) return objs[0] as T;
  }
  return body as T;
}

export interface Page<T> {
  items: T[];
  next_cursor: string;
}

/** page reads a list response: {"items": [...], "next_cursor": "…"} or a bare array. */
export function page<T>(body: unknown): Page<T> {
  if (Array.isArray(body)) return { items: body as T[], next_cursor: '' };
  if (body && typeof body === 'object') {
    const o = body as Record<string, unknown>;
    if (Array.isArray(o.items)) return { items: o.items as T[], next_cursor: (o.next_cursor as string) ?? '' };
    for (const v of Object.values(o)) {
      if (Array.isArray(v)) return { items: v as T[], next_cursor: (o.next_cursor as string) ?? '' };
    }
  }
  return { items: [], next_cursor: '' };
}

/** list fetches one page of a list endpoint. */
export async function list<T>(path: string, query?: Query, signal?: AbortSignal): Promise<Page<T>> {
  return page<T>(await api.get(path, query, signal));
}

/** newIdempotencyKey returns a random key for POST /orders and payments. */
export function newIdempotencyKey(): string {
  const b = new Uint8Array(16);
  crypto.getRandomValues(b);
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
}

/** errorMessage turns anything thrown into text fit for the user. */
export function errorMessage(e: unknown): string {
  if (e instanceof ApiError) return e.message;
  if (e instanceof Error) return e.message;
  return String(e);
}

// ---------- live video (docs/LIVE.md) ----------

/** NewLiveSession is the body of POST /shops/{id}/live-sessions. */
export interface NewLiveSession {
  title: string;
  cover_image_id?: string;
  planned_start?: string;
  product_ids?: string[];
}

/** live holds the calls for live sessions under /api/v1. */
export const live = {
  list: (query: Query, signal?: AbortSignal) => list<LiveSession>('/live-sessions', query, signal),
  get: async (id: string, signal?: AbortSignal) => one<LiveSession>(await api.get(`/live-sessions/${id}`, undefined, signal), 'session'),
  studio: (id: string, signal?: AbortSignal) => api.get<Studio>(`/live-sessions/${id}/studio`, undefined, signal),
  health: (id: string, signal?: AbortSignal) => api.get<LiveHealth | null>(`/live-sessions/${id}/health`, undefined, signal),
  moments: (id: string, signal?: AbortSignal) => list<Moment>(`/live-sessions/${id}/moments`, { limit: 100 }, signal),
  create: (shopID: string, body: NewLiveSession) => api.post<Studio>(`/shops/${shopID}/live-sessions`, body),
  rotateKey: (id: string) => api.post<Studio>(`/live-sessions/${id}/key`),
  end: async (id: string) => one<LiveSession>(await api.post(`/live-sessions/${id}/end`), 'session'),
  explain: (id: string, productID: string) => api.post<Moment>(`/live-sessions/${id}/explain`, { product_id: productID }),
};

/** room holds the REST calls of the realtime room (docs/REALTIME.md); the rest goes over the WebSocket. */
export const room = {
  chat: (id: string, query: Query, signal?: AbortSignal) => list<ChatMessage>(`/live-sessions/${id}/chat`, query, signal),
  deleteChat: (id: string, messageID: string) => api.del(`/live-sessions/${id}/chat/${messageID}`),
  moderate: (id: string, body: { action: string; user_id: string; minutes?: number; reason?: string }) =>
    api.post<ModerationAction>(`/live-sessions/${id}/moderation`, body),
  moderationLog: (id: string, signal?: AbortSignal) => list<ModerationAction>(`/live-sessions/${id}/moderation`, { limit: 50 }, signal),
  slowMode: async (id: string, seconds: number) => one<LiveSession>(await api.put(`/live-sessions/${id}/slow-mode`, { seconds }), 'session'),
  report: (id: string, messageID: string, reason: string) => api.post(`/live-sessions/${id}/reports`, { message_id: messageID, reason }),
  reports: (id: string, signal?: AbortSignal) => list<ChatReport>(`/live-sessions/${id}/reports`, { limit: 50 }, signal),
  questions: (id: string, signal?: AbortSignal) => list<Question>(`/live-sessions/${id}/questions`, { limit: 100 }, signal),
  answer: async (id: string, qid: string, body: { answer?: string; pin?: boolean }) =>
    one<Question>(await api.post(`/live-sessions/${id}/questions/${qid}/answer`, body), 'question'),
  announce: (id: string, text: string) => api.post<Announcement>(`/live-sessions/${id}/announcements`, { text }),
  chatFilter: async (shopID: string, signal?: AbortSignal) => (await api.get<{ words: string[] | null }>(`/shops/${shopID}/chat-filter`, undefined, signal))?.words ?? [],
  setChatFilter: async (shopID: string, words: string[]) => (await api.put<{ words: string[] | null }>(`/shops/${shopID}/chat-filter`, { words }))?.words ?? [],
};

/** SDPAnswer is a WHIP or WHEP server's answer and the resource to PATCH or DELETE later. */
export interface SDPAnswer {
  sdp: string;
  /** The session resource (Location header), absolute; "" if the server sent none. */
  location: string;
}

/**
 * postSDP sends an SDP offer to a WHIP or WHEP endpoint (outside /api/v1:
 * no CSRF token; WHIP authenticates with the stream key as a bearer token).
 */
export async function postSDP(url: string, offer: string, bearer = '', signal?: AbortSignal): Promise<SDPAnswer> {
  const headers: Record<string, string> = { 'Content-Type': 'application/sdp', Accept: 'application/sdp' };
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  let res: Response;
  try {
    res = await fetch(url, { method: 'POST', headers, body: offer, credentials: 'same-origin', signal });
  } catch (e) {
    if ((e as Error).name === 'AbortError') throw e;
    throw new ApiError(0, 'network', 'cannot reach the media server');
  }
  if (!res.ok) throw await parseError(res);
  const loc = res.headers.get('Location');
  return { sdp: await res.text(), location: loc ? new URL(loc, new URL(url, location.href)).href : '' };
}

/** deleteSDPResource ends a WHIP or WHEP session; failures are ignored (the server times it out anyway). */
export async function deleteSDPResource(resource: string, bearer = ''): Promise<void> {
  if (!resource) return;
  const headers: Record<string, string> = bearer ? { Authorization: `Bearer ${bearer}` } : {};
  try {
    // keepalive lets the request finish while the page unloads.
    await fetch(resource, { method: 'DELETE', headers, credentials: 'same-origin', keepalive: true });
  } catch {
    // ignored: the server notices the peer is gone
  }
}

// ---------- selling in the live room (docs/SELLING.md) ----------

/** NewFlashSale is the body of POST /live-sessions/{id}/flash-sales. */
export interface NewFlashSale {
  sku_id: string;
  price_minor: number;
  stock: number;
  per_user_limit: number;
  countdown_seconds: number;
  duration_seconds: number;
  payment_window_seconds?: number;
}

/** NewCoupon is the body of POST /shops/{id}/coupons. */
export interface NewCoupon {
  title: string;
  kind: 'amount' | 'percent';
  amount_off_minor?: number;
  percent_off?: number;
  min_spend_minor: number;
  currency?: string;
  valid_from?: string;
  valid_until: string;
  total_limit: number;
  per_user_limit: number;
}

/** NewDraw is the body of POST /live-sessions/{id}/draws. */
export interface NewDraw {
  title: string;
  sku_id: string;
  quantity: number;
  winners: number;
  eligibility: DrawEligibility;
  keyword?: string;
  countdown_seconds: number;
}

/** NewAuction is the body of POST /live-sessions/{id}/auctions. */
export interface NewAuction {
  sku_id: string;
  start_price_minor: number;
  min_increment_minor: number;
  duration_seconds: number;
  payment_window_seconds?: number;
}

/** selling holds the calls for flash sales, coupons, draws, auctions and the funnel. */
export const selling = {
  snapshot: (sessionID: string, signal?: AbortSignal) => api.get<SellingSnapshot>(`/live-sessions/${sessionID}/selling`, undefined, signal),
  /** setShelf replaces the session's shelf (PATCH product_ids). */
  setShelf: async (sessionID: string, productIDs: string[]) => one<LiveSession>(await api.patch(`/live-sessions/${sessionID}`, { product_ids: productIDs }), 'session'),
  sales: (sessionID: string, signal?: AbortSignal) => list<FlashSale>(`/live-sessions/${sessionID}/flash-sales`, { limit: 50 }, signal),
  startSale: (sessionID: string, body: NewFlashSale) => api.post<FlashSale>(`/live-sessions/${sessionID}/flash-sales`, body),
  endSale: (saleID: string) => api.post<FlashSale>(`/flash-sales/${saleID}/end`),
  reserve: (saleID: string, quantity: number, key: string) => api.post<Reservation>(`/flash-sales/${saleID}/reservations`, { quantity }, { 'Idempotency-Key': key }),
  myReservations: (saleID: string, signal?: AbortSignal) => list<Reservation>(`/flash-sales/${saleID}/reservations/mine`, undefined, signal),
  shopCoupons: (shopID: string, signal?: AbortSignal) => list<Coupon>(`/shops/${shopID}/coupons`, { limit: 50 }, signal),
  createCoupon: (shopID: string, body: NewCoupon) => api.post<Coupon>(`/shops/${shopID}/coupons`, body),
  dropCoupon: (sessionID: string, couponID: string, grabSeconds: number) =>
    api.post<Coupon>(`/live-sessions/${sessionID}/coupons/${couponID}/drop`, { grab_seconds: grabSeconds }),
  claimCoupon: (couponID: string) => api.post<CouponClaim>(`/coupons/${couponID}/claims`),
  myCoupons: (shopID: string, signal?: AbortSignal) => list<CouponClaim>('/me/coupons', { shop_id: shopID, limit: 50 }, signal),
  startDraw: (sessionID: string, body: NewDraw) => api.post<Draw>(`/live-sessions/${sessionID}/draws`, body),
  /** drawNow closes entries and draws at once (operators). */
  drawNow: (drawID: string) => api.post<Draw>(`/draws/${drawID}/draw`),
  getDraw: (drawID: string, signal?: AbortSignal) => api.get<Draw>(`/draws/${drawID}`, undefined, signal),
  enterDraw: (drawID: string) => api.post(`/draws/${drawID}/entries`),
  claimPrize: (drawID: string, addressID?: string) => api.post<Order>(`/draws/${drawID}/claim`, addressID ? { address_id: addressID } : {}),
  proofURL: (drawID: string) => `${BASE}/draws/${encodeURIComponent(drawID)}/proof`,
  startAuction: (sessionID: string, body: NewAuction) => api.post<Auction>(`/live-sessions/${sessionID}/auctions`, body),
  bid: (auctionID: string, maxMinor: number, key: string) => api.post<BidResult>(`/auctions/${auctionID}/bids`, { max_minor: maxMinor }, { 'Idempotency-Key': key }),
  funnelCounts: (sessionID: string, signal?: AbortSignal) => api.get<FunnelCounts>(`/live-sessions/${sessionID}/funnel`, undefined, signal),
  /**
   * funnel records a step of the buying funnel; fire and forget (a lost
   * event must never get in the buyer's way). anonID identifies a viewer
   * who is not signed in.
   */
  funnel: (sessionID: string, step: FunnelStep, productID?: string, anonID?: string): void => {
    const body: Record<string, string> = { step };
    if (productID) body.product_id = productID;
    if (anonID) body.anon_id = anonID;
    request('POST', `/live-sessions/${sessionID}/funnel`, { body }).catch(() => undefined);
  },
};
