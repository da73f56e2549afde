// The host's studio for one session (shop owner, staff, the session's host
// or an admin): go live from the browser or an app, watch the stream's
// health and the audience, pick the product being explained, answer
// questions, moderate the chat, announce, end the session. The room's
// realtime socket feeds the audience, chat and Q&A panels.
import { useMemo, useRef, useState } from 'preact/hooks';
import { live } from '../../api';
import { LiveBadge, Shelf, shelf, viewerTotal } from '../../components/live';
import { SellingConsole } from '../../components/selling/console';
import { DashboardPanel } from '../../components/dashboard';
import { dateTime } from '../../format';
import { t } from '../../i18n';
import { type Room, useRoom } from '../../live/useroom';
import { Link } from '../../router';
import type { LiveProduct, Studio } from '../../types';
import { Button, Card, FormError, Loaded, StatusBadge, useAction, useAsync, usePoll, useTitle } from '../../ui';
import { AnnouncePanel } from './studio-announce';
import { AudiencePanel } from './studio-audience';
import { CameraPanel } from './studio-camera';
import { BITRATE_SAMPLES, HealthPanel } from './studio-health';
import { ModerationPanel } from './studio-moderation';
import { ModerationLog } from './studio-modlog';
import { OBSPanel } from './studio-obs';
import { QAPanel } from './studio-qa';

const REFRESH_MS = 2000;

export function StudioPage({ params }: { params: Record<string, string> }) {
  const a = useAsync((signal) => live.studio(params.id, signal), [params.id]);
  const [bitrates, setBitrates] = useState<number[]>([]);
  const inflight = useRef(false);
  useTitle(a.data ? t('studio.pageTitle', { title: a.data.session.title }) : t('studio.title'));
  const status = a.data?.session.status;
  const rt = useRoom(params.id, status === 'scheduled' || status === 'live');

  /** refresh re-reads the studio and records a bitrate sample; a failed refresh keeps the screen. */
  const refresh = () => {
    if (inflight.current) return;
    inflight.current = true;
    live
      .studio(params.id)
      .then((st) => {
        a.setData(st);
        setBitrates((b) => (st.health ? [...b, st.health.bitrate_kbps].slice(-BITRATE_SAMPLES) : []));
      }, () => undefined)
      .finally(() => {
        inflight.current = false;
      });
  };
  usePoll(refresh, REFRESH_MS, !!a.data && a.data.session.status !== 'replay');

  return (
    <Loaded a={a}>
      {(st) => <StudioView st={st} rt={rt} bitrates={bitrates} onChange={a.setData} refresh={refresh} />}
    </Loaded>
  );
}

function StudioView(p: { st: Studio; rt: Room; bitrates: number[]; onChange: (s: Studio) => void; refresh: () => void }) {
  const { st, bitrates, onChange, refresh } = p;
  const { st: room, sock } = p.rt;
  // The socket's status events are newer than the last refresh.
  const s = room.session?.id === st.session.id ? { ...st.session, status: room.session.status } : st.session;
  const [modNonce, setModNonce] = useState(0);
  const names = useMemo(() => new Map(room.chat.map((m) => [m.user_id, m.name])), [room.chat]);
  const explain = useAction(async (p: LiveProduct) => {
    await live.explain(s.id, p.product_id);
    onChange({ ...st, session: { ...s, explaining_product_id: p.product_id } });
  });
  const end = useAction(async () => {
    if (!confirm(t('studio.end.confirm'))) return;
    const ended = await live.end(s.id);
    onChange({ ...st, session: ended, health: null });
  });
  const isLive = s.status === 'live';
  const over = s.status === 'ended' || s.status === 'replay';

  return (
    <div class="studio" data-testid="studio" data-status={s.status}>
      <div class="page-head">
        <div class="grow">
          <p class="muted small">
            <Link href={`/merchant/shops/${s.shop_id}?tab=live`}>{s.shop_name || t('studio.shop')}</Link> › {t('studio.title')}
          </p>
          <h1 data-testid="studio-title">{s.title}</h1>
          <p class="muted small">
            {s.status === 'scheduled' ? t('studio.plannedFor', { time: dateTime(s.planned_start) }) : s.started_at ? t('studio.startedAt', { time: dateTime(s.started_at) }) : ''}
            {s.host_name ? ` · ${t('studio.host', { name: s.host_name })}` : ''}
          </p>
        </div>
        {isLive ? <LiveBadge viewers={room.counts ? room.counts.current : st.health ? viewerTotal(st.health) : undefined} /> : <StatusBadge status={s.status} testid="studio-status" />}
        <Link class="btn btn-secondary small" href={`/reports/sessions/${s.id}`} data-testid="open-report">{t('studio.report')}</Link>
        <Link class="btn btn-secondary small" href={`/live/${s.id}`} data-testid="open-room">
          {t('studio.viewerPage')}
        </Link>
      </div>

      <div class="studio-grid">
        <div class="stack">
          <CameraPanel session={s} streamKey={st.stream_key} onChange={refresh} />
          <HealthPanel health={isLive ? st.health : null} warnings={st.warnings ?? []} bitrates={bitrates} />
          {!over && <AudiencePanel counts={room.counts} connection={room.connection} />}
          {!over && <ModerationPanel sessionID={s.id} st={room} sock={sock} onChange={() => setModNonce((n) => n + 1)} />}
        </div>
        <div class="stack">
          <Card title={t('studio.shelf.title')}>
            <p class="hint">{t('studio.shelf.hint')}</p>
            <Shelf
              products={shelf(s)}
              explaining={s.explaining_product_id}
              action={(p) => (
                <Button
                  kind={p.product_id === s.explaining_product_id ? 'primary' : 'secondary'}
                  class="small"
                  disabled={!isLive || explain.busy}
                  onClick={() => explain.run(p)}
                  data-testid="explain"
                >
                  {p.product_id === s.explaining_product_id ? t('studio.shelf.explaining') : t('studio.shelf.explain')}
                </Button>
              )}
            />
            <FormError err={explain.error} />
            {!isLive && !over && <p class="hint">{t('studio.shelf.notLive')}</p>}
          </Card>
          {!over && <QAPanel sessionID={s.id} questions={room.questions} sock={sock} live={isLive} />}
          {!over && <AnnouncePanel sessionID={s.id} current={room.announcement} live={!over} />}
          {!over && <ModerationLog sessionID={s.id} sock={sock} nonce={modNonce} names={names} />}
          <OBSPanel st={st} onChange={onChange} />
          {!over && (
            <Card title={t('studio.end.title')}>
              <p class="hint">{t('studio.end.hint')}</p>
              <FormError err={end.error} />
              <Button kind="danger" busy={end.busy} onClick={() => end.run()} data-testid="end-session">
                {t('studio.end.button')}
              </Button>
            </Card>
          )}
        </div>
      </div>
      <DashboardPanel sessionID={s.id} sock={sock} />
      <SellingConsole s={s} rt={p.rt} onSession={(ns) => onChange({ ...st, session: { ...st.session, ...ns } })} />
    </div>
  );
}
