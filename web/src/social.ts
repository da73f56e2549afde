// Follows, reminders, notifications, Web Push and the schedule
// (docs/DISCOVERY.md): the types and calls the social pages share.
import { api, list, type Page } from './api';
import { locale } from './i18n';
import type { LiveSession } from './types';

export type FollowKind = 'host' | 'shop';

export interface Follow {
  target_kind: FollowKind;
  target_id: string;
  target_name: string;
  source_room_id?: string;
  created_at: string;
}

export interface Followers {
  followers: number;
  following: boolean;
}

export interface HostProfile extends Followers {
  id: string;
  display_name: string;
  sessions: LiveSession[];
}

export interface Notification {
  id: string;
  kind: 'live' | 'starting_soon' | 'order_shipped' | 'order_delivered' | 'order_refunded' | 'refund_declined';
  /** What it is about: a live session or (order kinds, for the buyer) an order. */
  session_id?: string;
  order_id?: string;
  title: string;
  body: string;
  url: string;
  /** The values title and body were written from (none on old notifications). */
  params?: {
    host?: string;
    shop?: string;
    title?: string;
    minutes?: number;
    carrier?: string;
    tracking_number?: string;
    reason?: string;
    total_minor?: number;
    currency?: string;
  };
  created_at: string;
  read_at: string | null;
}

export interface ScheduledSession extends LiveSession {
  shop_category: string;
  shop_programme: string;
  channels: string[];
  reminded: boolean;
  followers: number;
}

export const social = {
  follow: (kind: FollowKind, id: string, roomID?: string) => api.post<Follow>('/follows', { target_kind: kind, target_id: id, room_id: roomID || undefined }),
  unfollow: (kind: FollowKind, id: string) => api.del(`/follows/${kind}/${encodeURIComponent(id)}`),
  myFollows: (cursor?: string, signal?: AbortSignal) => list<Follow>('/me/follows', { cursor, limit: 100 }, signal),
  host: (id: string, signal?: AbortSignal) => api.get<HostProfile>(`/hosts/${encodeURIComponent(id)}`, undefined, signal),
  shopFollowers: (id: string, signal?: AbortSignal) => api.get<Followers>(`/shops/${encodeURIComponent(id)}/followers/count`, undefined, signal),
  reminded: (sessionID: string, signal?: AbortSignal) => api.get<{ session_id: string; reminded: boolean }>(`/live-sessions/${encodeURIComponent(sessionID)}/reminder`, undefined, signal),
  remind: (sessionID: string) => api.post(`/live-sessions/${encodeURIComponent(sessionID)}/reminder`),
  unremind: (sessionID: string) => api.del(`/live-sessions/${encodeURIComponent(sessionID)}/reminder`),
  notifications: (query: { unread?: boolean; cursor?: string; limit?: number }, signal?: AbortSignal): Promise<Page<Notification>> =>
    list<Notification>('/me/notifications', { unread: query.unread ? 'true' : undefined, cursor: query.cursor, limit: query.limit }, signal),
  unreadCount: (signal?: AbortSignal) => api.get<{ count: number }>('/me/notifications/unread-count', undefined, signal),
  markRead: (ids: string[]) => api.post('/me/notifications/read', { ids }),
  markAllRead: () => api.post('/me/notifications/read', { all: true }),
  vapidKey: () => api.get<{ public_key: string }>('/push/vapid-public-key'),
  subscribePush: (sub: PushSubscriptionJSON) => api.post('/me/push-subscriptions', { endpoint: sub.endpoint, keys: sub.keys, locale: locale() }),
  unsubscribePush: (endpoint: string) => api.del(`/me/push-subscriptions?endpoint=${encodeURIComponent(endpoint)}`),
  schedule: (query: { from?: string; to?: string; channel?: string; cursor?: string; limit?: number }, signal?: AbortSignal) =>
    list<ScheduledSession>('/schedule', query, signal),
};

/** unreadChanged tells the header bell to count again (after reading notifications). */
export const unreadChanged = new EventTarget();
