// The host's studio for one session (shop owner, staff, the session's host
// or an admin): go live from the browser or an app, watch the stream's
// health, pick the product being explained, end the session.
import { useRef, useState } from 'preact/hooks';
import { live } from '../../api';
import { LiveBadge, Shelf, shelf, viewerTotal } from '../../components/live';
import { dateTime } from '../../format';
import { Link } from '../../router';
import type { LiveProduct, Studio } from '../../types';
import { Button, Card, FormError, Loaded, StatusBadge, useAction, useAsync, usePoll, useTitle } from '../../ui';
import { CameraPanel } from './studio-camera';
import { BITRATE_SAMPLES, HealthPanel } from './studio-health';
import { OBSPanel } from './studio-obs';

const REFRESH_MS = 2000;

export function StudioPage({ params }: { params: Record<string, string> }) {
  const a = useAsync((signal) => live.studio(params.id, signal), [params.id]);
  const [bitrates, setBitrates] = useState<number[]>([]);
  const inflight = useRef(false);
  useTitle(a.data ? `Studio · ${a.data.session.title}` : 'Studio');

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
      {(st) => <StudioView st={st} bitrates={bitrates} onChange={a.setData} refresh={refresh} />}
    </Loaded>
  );
}

function StudioView({ st, bitrates, onChange, refresh }: { st: Studio; bitrates: number[]; onChange: (s: Studio) => void; refresh: () => void }) {
  const s = st.session;
  const explain = useAction(async (p: LiveProduct) => {
    await live.explain(s.id, p.product_id);
    onChange({ ...st, session: { ...s, explaining_product_id: p.product_id } });
  });
  const end = useAction(async () => {
    if (!confirm('End this live session? Viewers are disconnected and it cannot go live again.')) return;
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
            <Link href={`/merchant/shops/${s.shop_id}?tab=live`}>{s.shop_name || 'Shop'}</Link> › Studio
          </p>
          <h1 data-testid="studio-title">{s.title}</h1>
          <p class="muted small">
            {s.status === 'scheduled' ? `Planned for ${dateTime(s.planned_start)}` : s.started_at ? `Started ${dateTime(s.started_at)}` : ''}
            {s.host_name ? ` · host ${s.host_name}` : ''}
          </p>
        </div>
        {isLive ? <LiveBadge viewers={st.health ? viewerTotal(st.health) : undefined} /> : <StatusBadge status={s.status} testid="studio-status" />}
        <Link class="btn btn-secondary small" href={`/live/${s.id}`} data-testid="open-room">
          Viewer page
        </Link>
      </div>

      <div class="studio-grid">
        <div class="stack">
          <CameraPanel session={s} streamKey={st.stream_key} onChange={refresh} />
          <HealthPanel health={isLive ? st.health : null} warnings={st.warnings ?? []} bitrates={bitrates} />
        </div>
        <div class="stack">
          <Card title="Shelf">
            <p class="hint">Press Explain when you start presenting a product: viewers see it highlighted, and the replay gets a moment to jump to.</p>
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
                  {p.product_id === s.explaining_product_id ? 'Explaining' : 'Explain'}
                </Button>
              )}
            />
            <FormError err={explain.error} />
            {!isLive && !over && <p class="hint">Explain works once you are live.</p>}
          </Card>
          <OBSPanel st={st} onChange={onChange} />
          {!over && (
            <Card title="End the session">
              <p class="hint">Ends the live for everyone. The recording becomes the replay.</p>
              <FormError err={end.error} />
              <Button kind="danger" busy={end.busy} onClick={() => end.run()} data-testid="end-session">
                End session
              </Button>
            </Card>
          )}
        </div>
      </div>
    </div>
  );
}
