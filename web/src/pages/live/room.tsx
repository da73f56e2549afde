// A live room as viewers see it: the stage (countdown, live video, a
// recording being finalised, or the replay), the session's details and the
// product shelf. The session is polled so the page follows its lifecycle
// scheduled → live → ended → replay without a reload.
import { useState } from 'preact/hooks';
import { live } from '../../api';
import { LiveBadge, Countdown, Shelf, coverImage, imageFull, shelf, viewerTotal } from '../../components/live';
import { LivePlayer, Moments, ReplayPlayer } from '../../components/live-player';
import { dateTime } from '../../format';
import { Link } from '../../router';
import { shopRole, useSession } from '../../session';
import type { LiveSession } from '../../types';
import { Loaded, StatusBadge, Thumb, useAsync, usePoll, useTitle } from '../../ui';

/** How often the room re-reads its session, by status (0: not at all). */
const POLL_MS: Record<string, number> = { scheduled: 3000, live: 4000, ended: 3000, replay: 0 };
const HEALTH_MS = 10_000;

export function LiveRoom({ params }: { params: Record<string, string> }) {
  const a = useAsync((signal) => live.get(params.id, signal), [params.id]);
  useTitle(a.data?.title ?? 'Live');
  const every = POLL_MS[a.data?.status ?? ''] ?? 0;
  // Poll quietly: a failed poll keeps what is on screen (the video must not stop).
  usePoll(
    () => {
      live.get(params.id).then(a.setData, () => undefined);
    },
    every || 1000,
    every > 0,
  );
  return <Loaded a={a}>{(s) => <Room s={s} />}</Loaded>;
}

function Room({ s }: { s: LiveSession }) {
  const products = shelf(s);
  const [replayProduct, setReplayProduct] = useState('');
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  const moments = useAsync((signal) => (s.status === 'replay' ? live.moments(s.id, signal) : Promise.resolve(null)), [s.id, s.status]);
  return (
    <div class="room" data-testid="room" data-status={s.status}>
      <div class="room-stage">
        <Stage s={s} onVideo={setVideo} />
      </div>
      <div class="room-side">
        <RoomHead s={s} />
        {s.status === 'replay' && moments.data && (
          <Moments video={video} moments={moments.data.items} products={products} onMoment={setReplayProduct} />
        )}
        <h2 class="section-title">Shelf</h2>
        <Shelf
          products={products}
          explaining={s.status === 'live' ? s.explaining_product_id : s.status === 'replay' ? replayProduct : ''}
          label={s.status === 'live' ? 'Explaining now' : 'Explained here'}
        />
      </div>
    </div>
  );
}

function RoomHead({ s }: { s: LiveSession }) {
  const me = useSession().me;
  const operator = !!shopRole(me, s.shop_id) || !!me.user?.is_admin || (!!me.user && me.user.id === s.host_id);
  const health = useAsync(
    (signal) => (s.status === 'live' ? live.health(s.id, signal).catch(() => null) : Promise.resolve(null)),
    [s.id, s.status],
  );
  usePoll(health.reload, HEALTH_MS, s.status === 'live');
  return (
    <div class="room-head">
      <div class="room-status">
        {s.status === 'live' ? <LiveBadge viewers={health.data ? viewerTotal(health.data) : undefined} /> : <StatusBadge status={s.status} testid="room-status" />}
        {operator && (
          <Link href={`/studio/${s.id}`} class="btn btn-secondary small" data-testid="open-studio">
            Studio
          </Link>
        )}
      </div>
      <h1 data-testid="room-title">{s.title}</h1>
      <p class="muted small">
        <Link href={`/shops/${s.shop_id}`}>{s.shop_name || 'Shop'}</Link>
        {s.host_name ? ` · hosted by ${s.host_name}` : ''}
      </p>
      <p class="muted small">
        {s.status === 'scheduled' && `Planned for ${dateTime(s.planned_start)}`}
        {s.status === 'live' && s.started_at && `Live since ${dateTime(s.started_at)}`}
        {(s.status === 'ended' || s.status === 'replay') && s.ended_at && `Streamed ${dateTime(s.started_at)} – ${dateTime(s.ended_at)}`}
      </p>
    </div>
  );
}

function Stage({ s, onVideo }: { s: LiveSession; onVideo: (v: HTMLVideoElement | null) => void }) {
  if (s.status === 'live') return <LivePlayer roomID={s.id} />;
  if (s.status === 'replay') return <ReplayPlayer roomID={s.id} onVideo={onVideo} />;
  const cover = coverImage(s);
  return (
    <div class="player cover" data-testid="room-cover">
      {cover ? <img class="cover-img" src={imageFull(cover)} alt="" onError={(e) => e.currentTarget.remove()} /> : <Thumb alt={s.title} size="lg" />}
      <div class="cover-text">
        {s.status === 'scheduled' ? (
          <>
            <b class="cover-big">
              <Countdown iso={s.planned_start} />
            </b>
            <span>The video starts here by itself when the host goes live.</span>
          </>
        ) : (
          <>
            <span class="spinner" aria-hidden="true" />
            <b data-testid="finalising">The live has ended. The recording is being finalised…</b>
            <div class="progress indeterminate" aria-hidden="true">
              <div class="progress-bar" />
            </div>
          </>
        )}
      </div>
    </div>
  );
}
