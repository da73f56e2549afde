// The schedule: upcoming sessions by day, with covers, the shop and host,
// how many follow them and "Remind me"; filtered by channel.
import { useEffect, useState } from 'preact/hooks';
import { api } from '../api';
import { channelName } from '../components/feed';
import { coverImage, imageThumb } from '../components/live';
import { RemindButton } from '../components/remind';
import { locale, t } from '../i18n';
import { Link, navigate, useLocation } from '../router';
import { social, type ScheduledSession } from '../social';
import { Button, Empty, FormError, Loaded, Thumb, useAction, useAsync, useTitle } from '../ui';
import '../styles/social.css';

interface Channel {
  code: string;
  name: string;
}

const DAY_MS = 86_400_000;

function dayKey(iso: string): string {
  const d = new Date(iso);
  return `${d.getFullYear()}-${d.getMonth()}-${d.getDate()}`;
}

function dayLabel(iso: string): string {
  const d = new Date(iso);
  const today = new Date();
  const tomorrow = new Date(today.getTime() + DAY_MS);
  const same = (a: Date, b: Date) => a.toDateString() === b.toDateString();
  const date = d.toLocaleDateString(locale(), { weekday: 'long', month: 'long', day: 'numeric' });
  if (same(d, today)) return t('discover.schedule.today', { date });
  if (same(d, tomorrow)) return t('discover.schedule.tomorrow', { date });
  return date;
}

function time(iso: string): string {
  return new Date(iso).toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' });
}

function emptyText(days: number, inChannel: boolean): string {
  if (days === 7) return inChannel ? t('discover.schedule.emptyWeekChannel') : t('discover.schedule.emptyWeek');
  return inChannel ? t('discover.schedule.emptyMonthChannel') : t('discover.schedule.emptyMonth');
}

export function SchedulePage() {
  useTitle(t('discover.schedule.title'));
  const { query } = useLocation();
  const channel = query.get('channel') ?? '';
  const days = query.get('days') === '31' ? 31 : 7;
  const [extra, setExtra] = useState<{ items: ScheduledSession[]; cursor: string } | null>(null);
  const channels = useAsync(async (signal) => (await api.get<Channel[]>('/channels', undefined, signal).catch(() => [])) ?? [], []);
  const a = useAsync(
    (signal) => {
      const from = new Date();
      return social.schedule({ from: from.toISOString(), to: new Date(from.getTime() + days * DAY_MS).toISOString(), channel, limit: 50 }, signal);
    },
    [channel, days],
  );
  useEffect(() => setExtra(null), [a.data]);
  const more = useAction(async () => {
    const from = new Date();
    const pg = await social.schedule({ from: from.toISOString(), to: new Date(from.getTime() + days * DAY_MS).toISOString(), channel, limit: 50,
      cursor: extra ? extra.cursor : a.data?.next_cursor });
    setExtra({ items: [...(extra?.items ?? []), ...pg.items], cursor: pg.next_cursor });
  });
  const go = (c: string, d: number) => {
    const q = new URLSearchParams();
    if (c) q.set('channel', c);
    if (d !== 7) q.set('days', String(d));
    const s = q.toString();
    navigate(`/schedule${s ? `?${s}` : ''}`, { replace: true });
  };
  return (
    <div class="stack">
      <div class="section-head">
        <h1>{t('discover.schedule.title')}</h1>
        <div class="row">
          <Button kind={days === 7 ? 'primary' : 'secondary'} class="small" onClick={() => go(channel, 7)}>
            {t('discover.schedule.next7')}
          </Button>
          <Button kind={days === 31 ? 'primary' : 'secondary'} class="small" onClick={() => go(channel, 31)}>
            {t('discover.schedule.next31')}
          </Button>
        </div>
      </div>
      {Array.isArray(channels.data) && channels.data.length > 0 && (
        <nav class="row" aria-label={t('discover.channels')} data-testid="schedule-channels">
          <Button kind={channel === '' ? 'primary' : 'secondary'} class="small" onClick={() => go('', days)}>
            {t('discover.schedule.all')}
          </Button>
          {channels.data.map((c) => (
            <Button key={c.code} kind={channel === c.code ? 'primary' : 'secondary'} class="small" onClick={() => go(c.code, days)}>
              {channelName(c.code, c.name)}
            </Button>
          ))}
        </nav>
      )}
      <Loaded a={a}>
        {(pg) => {
          const items = [...pg.items, ...(extra?.items ?? [])];
          const cursor = extra ? extra.cursor : pg.next_cursor;
          if (items.length === 0)
            return (
              <Empty>
                <p>{emptyText(days, !!channel)}</p>
                <p>
                  <Link href="/live">{t('discover.schedule.liveNow')}</Link>
                </p>
              </Empty>
            );
          const byDay: [string, ScheduledSession[]][] = [];
          for (const s of items) {
            const k = dayKey(s.planned_start);
            const last = byDay[byDay.length - 1];
            if (last && last[0] === k) last[1].push(s);
            else byDay.push([k, [s]]);
          }
          return (
            <div data-testid="schedule">
              {byDay.map(([k, list]) => (
                <section key={k}>
                  <h2 class="schedule-day">{dayLabel(list[0].planned_start)}</h2>
                  <div class="schedule-list">
                    {list.map((s) => (
                      <ScheduleCard key={s.id} s={s} />
                    ))}
                  </div>
                </section>
              ))}
              <FormError err={more.error} />
              {cursor && (
                <div class="center">
                  <Button kind="secondary" busy={more.busy} onClick={() => more.run()}>
                    {t('discover.schedule.loadMore')}
                  </Button>
                </div>
              )}
            </div>
          );
        }}
      </Loaded>
    </div>
  );
}

function ScheduleCard({ s }: { s: ScheduledSession }) {
  const cover = coverImage(s);
  const n = (s.products ?? []).length;
  return (
    <article class="scard" data-testid="schedule-item" data-session-id={s.id}>
      <Link href={`/live/${s.id}`}>{cover ? <img class="scard-img" src={imageThumb(cover)} alt="" loading="lazy" /> : <Thumb alt={s.title} size="lg" />}</Link>
      <div class="scard-body">
        <span class="scard-time">{time(s.planned_start)}</span>
        <Link href={`/live/${s.id}`} class="scard-title">
          {s.title}
        </Link>
        <span class="muted small">
          <Link href={`/shops/${s.shop_id}`}>{s.shop_name}</Link>
          {s.host_name ? ` · ${s.host_name}` : ''}
        </span>
        <span class="muted small">
          {t(n === 1 ? 'discover.schedule.products.one' : 'discover.schedule.products.other', { n })}
          {' · '}
          {t(s.followers === 1 ? 'discover.followers.one' : 'discover.followers.other', { n: s.followers.toLocaleString(locale()) })}
        </span>
        <div class="scard-actions">
          <RemindButton sessionID={s.id} reminded={s.reminded} />
        </div>
      </div>
    </article>
  );
}
