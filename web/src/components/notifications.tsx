// The header bell (unread count, polled every 20 s) and the notification
// centre at /notifications, which writes known kinds in the reader's
// language from the notification's params (the server stores English).
import { useEffect, useState } from 'preact/hooks';
import { dateTime, label as idLabel, money } from '../format';
import { t } from '../i18n';
import { Link } from '../router';
import { useSession } from '../session';
import { social, unreadChanged, type Notification } from '../social';
import { Button, Empty, FormError, Loaded, useAction, useAsync, usePoll, useTitle } from '../ui';

import { PushToggle } from './push';
import '../styles/social.css';
import { fillSlots } from '../i18n/slots';

const BELL_POLL_MS = 20_000;

/** Bell links to the notification centre and shows how many are unread. */
export function Bell() {
  const user = useSession().me.user;
  const [n, setN] = useState(0);
  const load = () => {
    if (!user) return;
    social.unreadCount().then((c) => setN(c.count), () => undefined);
  };
  useEffect(() => {
    setN(0);
    load();
    const again = () => load();
    unreadChanged.addEventListener('change', again);
    return () => unreadChanged.removeEventListener('change', again);
  }, [user?.id]);
  usePoll(load, BELL_POLL_MS, !!user);
  if (!user) return null;
  const label = n > 0 ? t('discover.notifications.unread', { n }) : t('discover.notifications.title');
  return (
    <Link href="/notifications" class="bell" aria-label={label} title={label} data-testid="bell">
      <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true">
        <path d="M18 8a6 6 0 0 0-12 0c0 7-3 9-3 9h18s-3-2-3-9" />
        <path d="M13.7 21a2 2 0 0 1-3.4 0" />
      </svg>
      {n > 0 && (
        <span class="bell-count" data-testid="bell-count">
          {n > 99 ? '99+' : n}
        </span>
      )}
    </Link>
  );
}

/** kindLabel names a notification's kind; one the app does not know yet gets label(). */
function kindLabel(kind: string): string {
  switch (kind) {
    case 'live':
      return t('discover.notifications.kind.live');
    case 'starting_soon':
      return t('discover.notifications.kind.starting_soon');
    case 'order_shipped':
      return t('discover.notifications.kind.order_shipped');
    case 'order_delivered':
      return t('discover.notifications.kind.order_delivered');
    case 'order_refunded':
      return t('discover.notifications.kind.order_refunded');
    case 'refund_declined':
      return t('discover.notifications.kind.refund_declined');
    default:
      return idLabel(kind);
  }
}

/**
 * notificationText writes a notification of a known kind in the current
 * language from its params; an unknown kind, or one stored before params
 * existed, is shown as the server wrote it.
 */
export function notificationText(n: Notification): { title: string; body: string } {
  const p = n.params;
  if (n.order_id) return orderText(n);
  const who = p?.host || p?.shop;
  if (!p || !who || !p.shop || !p.title) return { title: n.title, body: n.body };
  const shop = p.shop;
  switch (n.kind) {
    case 'live':
      return { title: t('discover.notifications.live.title', { who, title: p.title }), body: t('discover.notifications.live.body', { shop }) };
    case 'starting_soon': {
      const m = p.minutes ?? 0;
      const body =
        m > 1 ? t('discover.notifications.soon.minutes', { n: m, shop }) : m === 1 ? t('discover.notifications.soon.minute', { shop }) : t('discover.notifications.soon.now', { shop });
      return { title: t('discover.notifications.soon.title', { who, title: p.title }), body };
    }
    default:
      return { title: n.title, body: n.body };
  }
}

/** orderText writes a buyer's notification about their order. */
function orderText(n: Notification): { title: string; body: string } {
  const p = n.params;
  const shop = p?.shop;
  if (!p || !shop) return { title: n.title, body: n.body };
  switch (n.kind) {
    case 'order_shipped':
      if (!p.carrier || !p.tracking_number) break;
      return {
        title: t('discover.notifications.shipped.title', { shop }),
        body: t('discover.notifications.shipped.body', { carrier: p.carrier, tracking: p.tracking_number }),
      };
    case 'order_delivered':
      return { title: t('discover.notifications.delivered.title', { shop }), body: t('discover.notifications.delivered.body') };
    case 'order_refunded':
      if (p.total_minor == null || !p.currency) break;
      return {
        title: t('discover.notifications.refunded.title', { shop }),
        body: t('discover.notifications.refunded.body', { amount: money(p.total_minor, p.currency) }),
      };
    case 'refund_declined':
      if (!p.reason) break;
      return { title: t('discover.notifications.declined.title', { shop }), body: t('discover.notifications.declined.body', { reason: p.reason }) };
  }
  return { title: n.title, body: n.body };
}

/** hrefOf is where a notification leads: its session's room or its order. */
function hrefOf(n: Notification): string {
  if (n.url) return n.url;
  return n.order_id ? `/orders/${n.order_id}` : `/live/${n.session_id}`;
}

export function NotificationsPage() {
  useTitle(t('discover.notifications.title'));
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [more, setMore] = useState<{ items: Notification[]; cursor: string } | null>(null);
  const a = useAsync((signal) => social.notifications({ unread: unreadOnly, limit: 30 }, signal), [unreadOnly]);
  useEffect(() => setMore(null), [unreadOnly, a.data]);
  const loadMore = useAction(async () => {
    const pg = await social.notifications({ unread: unreadOnly, limit: 30, cursor: more ? more.cursor : a.data?.next_cursor });
    setMore({ items: [...(more?.items ?? []), ...pg.items], cursor: pg.next_cursor });
  });
  const allRead = useAction(async () => {
    await social.markAllRead();
    unreadChanged.dispatchEvent(new Event('change'));
    a.reload();
  });
  // The item is a link; following it marks the notification read on the way.
  const open = (n: Notification) => {
    if (!n.read_at) {
      social.markRead([n.id]).then(
        () => unreadChanged.dispatchEvent(new Event('change')),
        () => undefined,
      );
    }
  };
  return (
    <div class="narrow stack">
      <div class="section-head">
        <h1>{t('discover.notifications.title')}</h1>
        <div class="row">
          <label class="check">
            <input type="checkbox" checked={unreadOnly} onChange={(e) => setUnreadOnly(e.currentTarget.checked)} data-testid="unread-only" /> {t('discover.notifications.unreadOnly')}
          </label>
          <Button kind="secondary" busy={allRead.busy} onClick={() => allRead.run()} data-testid="mark-all-read">
            {t('discover.notifications.markAllRead')}
          </Button>
        </div>
      </div>
      <PushToggle />
      <FormError err={allRead.error} />
      <Loaded a={a}>
        {(pg) => {
          const items = [...pg.items, ...(more?.items ?? [])];
          const cursor = more ? more.cursor : pg.next_cursor;
          if (items.length === 0)
            return (
              <Empty>
                <p>{unreadOnly ? t('discover.notifications.nothingUnread') : t('discover.notifications.none')}</p>
                <p>
                  {fillSlots(t('discover.notifications.hint'), { link: <Link href="/schedule">{t('discover.notifications.schedule')}</Link> })}
                </p>
              </Empty>
            );
          return (
            <>
              <ul class="notice-list" data-testid="notifications">
                {items.map((n) => {
                  const text = notificationText(n);
                  return (
                    <li key={n.id}>
                      <Link
                        href={hrefOf(n)}
                        class={n.read_at ? 'notice-item' : 'notice-item unread'}
                        onClick={() => open(n)}
                        data-testid="notification"
                        data-kind={n.kind}
                      >
                        <span class="notice-dot" aria-hidden="true" />
                        <span class="grow">
                          <span class="notice-title block">{text.title}</span>
                          <span class="block small">{text.body}</span>
                          <span class="muted small">
                            {kindLabel(n.kind)} · {dateTime(n.created_at)}
                          </span>
                        </span>
                      </Link>
                    </li>
                  );
                })}
              </ul>
              <FormError err={loadMore.error} />
              {cursor && (
                <div class="center">
                  <Button kind="secondary" busy={loadMore.busy} onClick={() => loadMore.run()}>
                    {t('discover.notifications.loadMore')}
                  </Button>
                </div>
              )}
            </>
          );
        }}
      </Loaded>
    </div>
  );
}
