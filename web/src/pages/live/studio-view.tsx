// The host's studio for one session (shop owner, staff, the session's host
// or an admin): go live from the browser's camera or a streaming app,
// watch the stream's health and the audience, explain products, sell
// (flash sales, coupons, draws, auctions), answer questions, moderate the
// chat, announce, follow the live dashboard, end the session.
//
// Two layouts of one tree. On a phone (≤ 768 px) the host is alone with
// the phone as the camera: the picture fills the screen and a tab bar opens
// the panes as sheets over it. From 769 px the panes are columns (three
// from 1024 px: stage, shelf and selling, chat and dashboard). The camera,
// its publication and every pane are mounted once at a fixed place in the
// tree, so sheets, tabs and layout changes never restart them.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { live } from '../../api';
import { LiveBadge, shelf, viewerTotal } from '../../components/live';
import { SellingConsole } from '../../components/selling/console';
import { useShelfSKUs } from '../../components/selling/console-kit';
import { ShelfEditor } from '../../components/selling/console-shelf';
import { SalesStrip } from '../../components/selling/console-stats';
import { DashboardPanel, useDashboard } from '../../components/dashboard';
import { dateTime } from '../../format';
import { t } from '../../i18n';
import { type Room, useMedia, useRoom } from '../../live/useroom';
import { Link } from '../../router';
import type { LiveProduct, Studio } from '../../types';
import { Button, Card, FormError, Loaded, StatusBadge, useAction, useAsync, usePoll, useTitle } from '../../ui';
import { AnnouncePanel } from './studio-announce';
import { AudiencePanel } from './studio-audience';
import { useCamera } from './studio-camera';
import { BITRATE_SAMPLES, HealthPanel, healthState } from './studio-health';
import { ModerationPanel } from './studio-moderation';
import { ModerationLog } from './studio-modlog';
import { OBSPanel } from './studio-obs';
import { Pane, type PaneID, TabBar } from './studio-panes';
import { QAPanel } from './studio-qa';
import { ExplainShelf } from './studio-shelf';
import { Stage, type Source, useWakeLock } from './studio-stage';
import '../../styles/studio-console.css';

const REFRESH_MS = 2000;
/** The phone layout: the host alone, holding the phone as the camera. */
const PHONE = '(max-width: 768px)';

export function StudioConsole({ params }: { params: Record<string, string> }) {
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
  const { bitrates, onChange, refresh } = p;
  const { st: room, sock } = p.rt;
  // The socket's status events are newer than the last refresh.
  const s = room.session?.id === p.st.session.id ? { ...p.st.session, status: room.session.status } : p.st.session;
  const st = { ...p.st, session: s };
  const phone = useMedia(PHONE);
  const [pane, setPane] = useState<PaneID | null>(null);
  const [modNonce, setModNonce] = useState(0);
  const cam = useCamera(s, st.stream_key, refresh);
  // A session already live from a streaming app opens on the app's settings.
  const [source, setSource] = useState<Source>(() => (s.status === 'live' && s.protocol === 'rtmp' ? 'obs' : 'camera'));
  const dash = useDashboard(s.id, sock);
  const skus = useShelfSKUs(s);
  const names = useMemo(() => new Map(room.chat.map((m) => [m.user_id, m.name])), [room.chat]);
  const explain = useAction(async (x: LiveProduct) => {
    await live.explain(s.id, x.product_id);
    onChange({ ...st, session: { ...s, explaining_product_id: x.product_id } });
  });
  const end = useAction(async () => {
    if (!confirm(t('studio.end.confirm'))) return;
    const ended = await live.end(s.id);
    onChange({ ...st, session: ended, health: null });
  });
  const isLive = s.status === 'live';
  const over = s.status === 'ended' || s.status === 'replay';
  useWakeLock(isLive || !!cam.pub);
  // A stream from an app arrived (stream health says RTMP) while the camera is idle: show the app's side.
  const fromApp = isLive && !cam.pub && (s.protocol === 'rtmp' || st.health?.protocol === 'rtmp');
  useEffect(() => {
    if (fromApp) setSource('obs');
  }, [fromApp]);

  const health = healthState({ live: isLive, health: isLive ? st.health : null, connection: cam.pub ? cam.state || 'connecting' : '' });
  const viewers = room.counts ? room.counts.current : dash.d ? dash.d.current_viewers : st.health ? viewerTotal(st.health) : undefined;
  const currency = shelf(s)[0]?.currency ?? 'CNY';
  const gmv = dash.d ? { minor: dash.d.gmv_minor, currency: dash.d.currency || dash.d.funnel.currency || currency } : null;
  const openQuestions = room.questions.filter((q) => q.status === 'open').length;
  const onSession = (ns: Studio['session']) => onChange({ ...st, session: { ...st.session, ...ns } });

  const head = (
    <div class={phone ? 'studio-info' : 'page-head'}>
      <div class="grow">
        <p class="muted small">
          <Link href={`/merchant/shops/${s.shop_id}?tab=live`}>{s.shop_name || t('studio.shop')}</Link> › {t('studio.title')}
        </p>
        {phone ? (
          <p class="studio-info-title">{s.title}</p>
        ) : (
          <h1 data-testid="studio-title">{s.title}</h1>
        )}
        <p class="muted small">
          {s.status === 'scheduled' ? t('studio.plannedFor', { time: dateTime(s.planned_start) }) : s.started_at ? t('studio.startedAt', { time: dateTime(s.started_at) }) : ''}
          {s.host_name ? ` · ${t('studio.host', { name: s.host_name })}` : ''}
        </p>
      </div>
      {isLive ? <LiveBadge viewers={viewers} /> : <StatusBadge status={s.status} testid="studio-status" />}
      <Link class="btn btn-secondary small" href={`/reports/sessions/${s.id}`} data-testid="open-report">
        {t('studio.report')}
      </Link>
      <Link class="btn btn-secondary small" href={`/live/${s.id}`} data-testid="open-room">
        {t('studio.viewerPage')}
      </Link>
    </div>
  );
  const endCard = !over && (
    <Card title={t('studio.end.title')}>
      <p class="hint">{t('studio.end.hint')}</p>
      <FormError err={end.error} />
      <Button kind="danger" busy={end.busy} onClick={() => end.run()} data-testid="end-session">
        {t('studio.end.button')}
      </Button>
    </Card>
  );
  const healthPanel = <HealthPanel health={isLive ? st.health : null} warnings={st.warnings ?? []} bitrates={bitrates} />;
  const audience = !over && <AudiencePanel counts={room.counts} connection={room.connection} />;
  const close = () => setPane(null);

  return (
    <div class={phone ? 'studio phone' : 'studio wide'} data-testid="studio" data-status={s.status} data-layout={phone ? 'phone' : 'wide'} data-pane={pane ?? ''}>
      {!phone && head}
      <div class="studio-cols">
        <div class="studio-col studio-col-stage stack">
          <Stage
            st={st}
            cam={cam}
            source={source}
            onSource={setSource}
            phone={phone}
            health={health}
            receiving={isLive && !!st.health}
            viewers={isLive ? viewers : undefined}
            gmv={isLive || over ? gmv : null}
            onStudio={onChange}
            end={{ run: () => end.run(), busy: end.busy, error: end.error }}
          />
          {!phone && healthPanel}
          {!phone && <OBSPanel st={st} onChange={onChange} />}
          {!phone && audience}
          {!phone && endCard}
        </div>
        <div class="studio-col stack">
          <Pane id="products" phone={phone} open={pane === 'products'} onClose={close}>
            <ExplainShelf
              products={shelf(s)}
              explaining={s.explaining_product_id}
              skus={skus.data ?? null}
              live={isLive}
              over={over}
              busy={explain.busy}
              error={explain.error}
              onExplain={(x) => explain.run(x)}
            />
            {!over && <ShelfEditor s={s} onSession={onSession} />}
          </Pane>
          <Pane id="sell" phone={phone} open={pane === 'sell'} onClose={close}>
            <SellingConsole s={s} rt={p.rt} skus={skus} />
            {over && <p class="muted small">{t('studio.camera.over')}</p>}
          </Pane>
        </div>
        <div class="studio-col stack">
          <Pane id="chat" phone={phone} open={pane === 'chat'} onClose={close}>
            {over ? (
              <p class="muted small">{t('studio.camera.over')}</p>
            ) : (
              <>
                <QAPanel sessionID={s.id} questions={room.questions} sock={sock} live={isLive} />
                <ModerationPanel sessionID={s.id} st={room} sock={sock} onChange={() => setModNonce((n) => n + 1)} />
                <AnnouncePanel sessionID={s.id} current={room.announcement} live={!over} />
                <ModerationLog sessionID={s.id} sock={sock} nonce={modNonce} names={names} />
              </>
            )}
          </Pane>
          <Pane id="stats" phone={phone} open={pane === 'stats'} onClose={close}>
            {phone && head}
            <Card title={t('studio.stats.title')}>
              <SalesStrip sessionID={s.id} currency={currency} live={!over} />
            </Card>
            <DashboardPanel dash={dash} />
            {phone && healthPanel}
            {phone && audience}
            {phone && endCard}
          </Pane>
        </div>
      </div>
      {phone && <TabBar open={pane} onOpen={setPane} badges={{ chat: openQuestions }} />}
    </div>
  );
}
