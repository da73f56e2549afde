// The live rooms: live now (with viewer counts), coming up (with a
// countdown to the planned start) and replays. LiveNowStrip is the home
// page's teaser of the same.
import { live } from '../../api';
import { RoomCard, viewerTotal } from '../../components/live';
import { t } from '../../i18n';
import { Link } from '../../router';
import type { LiveSession } from '../../types';
import { Empty, Loaded, useAsync, usePoll, useTitle } from '../../ui';

const REFRESH_MS = 15_000;
/** Viewer counts are read for at most this many live rooms (one small request each). */
const MAX_HEALTH = 24;

interface LiveNow {
  sessions: LiveSession[];
  viewers: Map<string, number>;
}

/** loadLiveNow lists live sessions and, cheaply, how many watch each. */
async function loadLiveNow(limit: number, signal: AbortSignal): Promise<LiveNow> {
  const pg = await live.list({ status: 'live', limit }, signal);
  const viewers = new Map<string, number>();
  await Promise.all(
    pg.items.slice(0, MAX_HEALTH).map((s) =>
      live.health(s.id, signal).then(
        (h) => {
          if (h) viewers.set(s.id, viewerTotal(h));
        },
        () => undefined, // no count: the card just says LIVE
      ),
    ),
  );
  return { sessions: pg.items, viewers };
}

function useLiveNow(limit: number) {
  const a = useAsync((signal) => loadLiveNow(limit, signal), [limit]);
  // Refresh quietly: a failed refresh keeps the last list.
  usePoll(() => loadLiveNow(limit, new AbortController().signal).then(a.setData, () => undefined), REFRESH_MS, true);
  return a;
}

export function LiveRooms() {
  useTitle(t('nav.live'));
  const now = useLiveNow(48);
  const soon = useAsync((signal) => live.list({ status: 'scheduled', limit: 24 }, signal), []);
  const replays = useAsync((signal) => live.list({ status: 'replay', limit: 24 }, signal), []);
  usePoll(soon.reload, 30_000, true);
  const upcoming = (soon.data?.items ?? []).slice().sort((a, b) => a.planned_start.localeCompare(b.planned_start));
  return (
    <div class="stack">
      <h1>{t('nav.live')}</h1>
      <section>
        <h2 class="section-title">{t('room.list.liveNow')}</h2>
        <Loaded a={now}>
          {(d) =>
            d.sessions.length === 0 ? (
              <Empty>{t('room.list.noneLive')}</Empty>
            ) : (
              <div class="grid" data-testid="rooms-live">
                {d.sessions.map((s) => (
                  <RoomCard key={s.id} s={s} viewers={d.viewers.get(s.id)} />
                ))}
              </div>
            )
          }
        </Loaded>
      </section>
      <section>
        <h2 class="section-title">{t('room.list.comingUp')}</h2>
        <Loaded a={soon}>
          {() =>
            upcoming.length === 0 ? (
              <Empty>{t('room.list.noneScheduled')}</Empty>
            ) : (
              <div class="grid" data-testid="rooms-scheduled">
                {upcoming.map((s) => (
                  <RoomCard key={s.id} s={s} />
                ))}
              </div>
            )
          }
        </Loaded>
      </section>
      <section>
        <h2 class="section-title">{t('room.list.replays')}</h2>
        <Loaded a={replays}>
          {(pg) =>
            pg.items.length === 0 ? (
              <Empty>{t('room.list.noReplays')}</Empty>
            ) : (
              <div class="grid" data-testid="rooms-replay">
                {pg.items.map((s) => (
                  <RoomCard key={s.id} s={s} />
                ))}
              </div>
            )
          }
        </Loaded>
      </section>
    </div>
  );
}

/** LiveNowStrip shows the rooms that are live, if any, in one scrolling row. */
export function LiveNowStrip() {
  const a = useLiveNow(12);
  const d = a.data;
  if (!d || d.sessions.length === 0) return null;
  return (
    <section>
      <div class="section-head">
        <h2 class="section-title">{t('room.list.liveNow')}</h2>
        <Link href="/live" class="small">
          {t('room.list.all')}
        </Link>
      </div>
      <div class="room-row" data-testid="live-now">
        {d.sessions.map((s) => (
          <RoomCard key={s.id} s={s} viewers={d.viewers.get(s.id)} />
        ))}
      </div>
    </section>
  );
}
