// A live room as viewers see it: the stage (countdown, live video, a
// recording being finalised, or the replay), the session's details and the
// product shelf. While scheduled or live the room is also connected to its
// realtime socket: chat, likes, viewer counts, Q&A, announcements and the
// product being explained arrive live, and the socket's `status` events
// follow the lifecycle; the session is polled too, slowly while the socket
// is in sync, as a safety net and for ended → replay.
import { useEffect, useMemo, useState } from 'preact/hooks';
import { live } from '../../api';
import { LiveBadge, Countdown, Shelf, coverImage, imageFull, shelf, viewerTotal } from '../../components/live';
import { LivePlayer, Moments, ReplayPlayer } from '../../components/live-player';
import { ReplayChat } from '../../components/replay-chat';
import { ChatInput, ChatLines, JoinNoticeLine, ReportButton } from '../../components/room-chat';
import { LikeButton } from '../../components/room-likes';
import { AnnouncementBanner, AskHost, PinnedAnswer, pinnedQuestion } from '../../components/room-qa';
import { SellingOverlay, SellingPanels, type SellingRoom, SellingSheets, ShelfBuy, useDealCount, useSellingRoom } from '../../components/selling/room';
import { BagButton, ExplainCard } from '../../components/selling/shelf';
import { Sheet } from '../../components/selling/sheet';
import { PurchaseToasts } from '../../components/selling/toasts';
import { MomentChips } from '../../components/room-moments';
import { RailButton, ShareButton } from '../../components/room-rail';
import { dateTime } from '../../format';
import { t } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import type { ExplainEvent, RoomCounts } from '../../live/protocol';
import { startEarly, takeSession } from '../../live/early';
import { type Room as RT, useMedia, useRoom } from '../../live/useroom';
import { Link, navigate } from '../../router';
import { shopRole, useSession } from '../../session';
import type { LiveProduct, LiveSession } from '../../types';
import { Loaded, StatusBadge, Thumb, useAsync, usePoll, useTitle } from '../../ui';
import { FollowButton, RoomFollow } from '../../components/follow';
import { SessionPreview } from '../../components/preview';

/** How often the room re-reads its session, by status (0: not at all). */
const POLL_MS: Record<string, number> = { scheduled: 3000, live: 4000, ended: 3000, replay: 0 };
/** The poll while the socket is in sync: it brings the lifecycle by itself. */
const SYNCED_POLL_MS = 15_000;
const HEALTH_MS = 10_000;
/** Wide screens (tablets and up) show the chat as a side panel; phones watch full screen. */
const WIDE = '(min-width: 769px)';
/** Lines kept in the overlay (only the last few are visible; older ones scroll). */
const OVERLAY_LINES = 40;

export function LiveRoom({ params }: { params: Record<string, string> }) {
  // Start the video's WebRTC exchange now, beside loading the session: the
  // player takes it over if the room is live (the first frame comes sooner).
  useMemo(() => startEarly(params.id), [params.id]);
  const a = useAsync((signal) => takeSession(params.id) ?? live.get(params.id, signal), [params.id]);
  const rest = a.data?.status;
  const rt = useRoom(params.id, rest === 'scheduled' || rest === 'live');
  // Once the socket has the session, its events are newer than the last poll.
  const s = a.data && rt.st.session?.id === a.data.id ? { ...a.data, ...rt.st.session } : a.data;
  useTitle(s?.title ?? t('nav.live'));
  const synced = rt.st.synced && rt.st.connection === 'open';
  const every = synced && s?.status !== 'ended' ? SYNCED_POLL_MS : (POLL_MS[s?.status ?? ''] ?? 0);
  // Poll quietly: a failed poll keeps what is on screen (the video must not stop).
  usePoll(
    () => {
      live.get(params.id).then(a.setData, () => undefined);
    },
    every || 1000,
    every > 0,
  );
  return <Loaded a={a}>{() => s && <Room s={s} rt={rt} />}</Loaded>;
}

function Room({ s, rt }: { s: LiveSession; rt: RT }) {
  const wide = useMedia(WIDE);
  // Phones watch a live or replayed room full screen; the countdown before
  // the start and the "finalising" cover keep the page with its details.
  if (!wide && (s.status === 'live' || s.status === 'replay')) return <PhoneRoom s={s} rt={rt} />;
  return <WideRoom s={s} rt={rt} wide={wide} />;
}

/** useRoomParts is what both layouts of the room share. */
function useRoomParts(s: LiveSession, rt: RT) {
  const sell = useSellingRoom(s, rt);
  const [replayProduct, setReplayProduct] = useState('');
  const [video, setVideo] = useState<HTMLVideoElement | null>(null);
  const moments = useAsync((signal) => (s.status === 'replay' ? live.moments(s.id, signal) : Promise.resolve(null)), [s.id, s.status]);
  const isLive = s.status === 'live';
  const replay = s.status === 'replay';
  // The product on the card: the one explained now (live), or at the playhead (replay).
  const featured = isLive ? explainingProduct(s, rt.st.explaining) : replay ? sell.shelf.find((p) => p.product_id === replayProduct) : undefined;
  return { sell, replayProduct, setReplayProduct, video, setVideo, moments, isLive, replay, featured };
}

/** WideRoom: the video with the side panel (laptops), and the stacked page of a room before or just after its live. */
function WideRoom({ s, rt, wide }: { s: LiveSession; rt: RT; wide: boolean }) {
  const { sell, replayProduct, setReplayProduct, video, setVideo, moments, isLive, replay, featured } = useRoomParts(s, rt);
  const products = sell.shelf;
  const { st, sock } = rt;
  const canReport = !!useSession().me.user;
  // The chat shows while live, and before the start once the socket is in sync (read-only until live).
  const chatOn = isLive || (s.status === 'scheduled' && st.synced);
  const hostNotes = (
    <>
      <AnnouncementBanner a={st.announcement} />
      <PinnedAnswer q={pinnedQuestion(st.questions)} />
    </>
  );
  return (
    <div class={wide ? 'room room-wide' : 'room'} data-testid="room" data-status={s.status} data-connection={st.connection} data-layout="wide">
      <div class="room-main">
        <div class="room-stage">
          <Stage s={s} onVideo={setVideo} />
          {(isLive || replay) && <ExplainCard product={featured} onBuy={sell.openProduct} replay={replay} />}
          {(isLive || replay) && <SellingOverlay ctl={sell} />}
          {isLive && <LikeButton sock={sock} likes={st.counts?.likes} enabled={st.connection === 'open'} />}
          {!wide && chatOn && (
            <div class="chat-overlay">
              <ChatLines lines={st.chat.slice(-OVERLAY_LINES)} mode="overlay" />
              <JoinNoticeLine join={st.join} />
            </div>
          )}
        </div>
        {(isLive || s.status === 'scheduled') && <SellingPanels ctl={sell} />}
      </div>
      {!wide && chatOn && (
        <div class="room-below stack">
          {hostNotes}
          <ChatInput st={st} sock={sock} />
          <ConnectionNotice notice={st.notice} noticeKey={st.noticeKey} />
        </div>
      )}
      <div class="room-side">
        <RoomHead s={s} counts={isLive ? st.counts : null} />
        <SessionPreview s={s} />
        {wide && chatOn && (
          <section class="chat-panel" data-testid="chat-panel">
            {hostNotes}
            <ChatLines lines={st.chat} mode="panel" empty={t('room.chat.empty')} actions={canReport ? (m) => m.user_id !== st.you?.user_id && <ReportButton sessionID={s.id} m={m} /> : undefined} />
            <JoinNoticeLine join={st.join} />
            <ChatInput st={st} sock={sock} />
            <ConnectionNotice notice={st.notice} noticeKey={st.noticeKey} />
          </section>
        )}
        {replay && (
          <section class="chat-panel">
            <h2 class="section-title">{t('room.chat.replay')}</h2>
            <ReplayChat sessionID={s.id} video={video} mode="panel" />
          </section>
        )}
        {replay && moments.data && (
          <Moments video={video} moments={moments.data.items} products={products} onMoment={setReplayProduct} />
        )}
        <h2 class="section-title">{t('room.shelf.title')}</h2>
        <Shelf
          products={products}
          explaining={isLive ? s.explaining_product_id : replay ? replayProduct : ''}
          label={isLive ? t('room.shelf.explainingNow') : t('room.shelf.explainedHere')}
          action={s.status === 'ended' ? undefined : (p) => <ShelfBuy ctl={sell} p={p} />}
        />
        {isLive && <AskHost st={st} sock={sock} />}
      </div>
      <SellingSheets ctl={sell} explaining={isLive ? s.explaining_product_id : replayProduct} />
    </div>
  );
}

/**
 * PhoneRoom is the room full screen, as on a phone's live-shopping app:
 * the video covers the screen; the host's pill and the way back on top,
 * the deals (flash sales, coupons, draws, auctions) under it, the rail of
 * buttons on the right (follow, like, share, questions, the bag), and at
 * the bottom left the product being explained above the last chat lines,
 * with the message box docked under them. The centre stays clear.
 */
function PhoneRoom({ s, rt }: { s: LiveSession; rt: RT }) {
  const { sell, replayProduct, setReplayProduct, video, setVideo, moments, isLive, replay, featured } = useRoomParts(s, rt);
  const { st, sock } = rt;
  const [qa, setQA] = useState(false);
  const open = st.connection === 'open';
  useImmersive();
  const pinned = pinnedQuestion(st.questions);
  return (
    <div class="room room-immersive" data-testid="room" data-status={s.status} data-connection={st.connection} data-layout="phone">
      <div class="room-stage">
        <Stage s={s} onVideo={setVideo} />
      </div>
      <div class="room-scrim" aria-hidden="true" />
      <PhoneTop s={s} counts={isLive ? st.counts : null} />
      <div class="room-overlays">
        {(isLive || replay) && <PurchaseToasts purchases={sell.st.purchases} />}
        {isLive && <DealsTray ctl={sell} />}
      </div>
      <div class="room-rail" role="toolbar" aria-label={t('room.rail.label')} aria-orientation="vertical">
        {s.host_id && <FollowButton kind="host" id={s.host_id} name={s.host_name} roomID={s.id} />}
        {isLive && <LikeButton sock={sock} likes={st.counts?.likes} enabled={open} />}
        <ShareButton title={s.title} />
        {isLive && (
          <RailButton label={t('room.qa.openLabel')} short={t('room.qa.open')} onClick={() => setQA(true)} testid="qa-open" expanded={qa}>
            <span class="rail-glyph">?</span>
          </RailButton>
        )}
        <BagButton count={sell.shelf.length} onOpen={sell.openShelf} replay={replay} />
      </div>
      <div class="room-bottom">
        {replay && moments.data && (
          <MomentChips video={video} moments={moments.data.items} products={sell.shelf} onMoment={setReplayProduct} />
        )}
        <div class="room-feed">
          {isLive && <AnnouncementBanner a={st.announcement} />}
          {isLive && pinned && <PinnedAnswer q={pinned} />}
          <ExplainCard product={featured} onBuy={sell.openProduct} replay={replay} />
          <div class="chat-overlay">
            {isLive ? <ChatLines lines={st.chat.slice(-OVERLAY_LINES)} mode="overlay" /> : <ReplayChat sessionID={s.id} video={video} mode="overlay" />}
            {isLive && <JoinNoticeLine join={st.join} />}
          </div>
        </div>
        {isLive && (
          <div class="room-dock">
            <ChatInput st={st} sock={sock} placeholder={t('room.chat.placeholderShort')} />
            <ConnectionNotice notice={st.notice} noticeKey={st.noticeKey} />
          </div>
        )}
      </div>
      {qa && (
        <Sheet title={t('room.qa.title')} onClose={() => setQA(false)} testid="qa-sheet">
          <PinnedAnswer q={pinned} />
          <AskHost st={st} sock={sock} />
        </Sheet>
      )}
      <SellingSheets ctl={sell} explaining={isLive ? s.explaining_product_id : replayProduct} />
    </div>
  );
}

/** useImmersive marks the document while the full-screen room is shown (the page under it does not scroll). */
function useImmersive() {
  useEffect(() => {
    document.documentElement.classList.add('immersive');
    return () => document.documentElement.classList.remove('immersive');
  }, []);
}

/** PhoneTop: back, the host's pill (title, shop, who watches) and following the shop. */
function PhoneTop({ s, counts }: { s: LiveSession; counts: RoomCounts | null }) {
  const viewers = useViewers(s, counts);
  const operator = useOperator(s);
  const back = () => {
    if (history.length > 1) history.back();
    else navigate('/live');
  };
  return (
    <header class="room-top">
      <button type="button" class="room-back" onClick={back} aria-label={t('room.back')} data-testid="room-back">
        <svg viewBox="0 0 24 24" width="22" height="22" aria-hidden="true">
          <path d="M15 5l-7 7 7 7" fill="none" stroke="currentColor" stroke-width="2.4" stroke-linecap="round" stroke-linejoin="round" />
        </svg>
      </button>
      <div class="room-pill">
        <h1 class="room-pill-title" data-testid="room-title">
          {s.title}
        </h1>
        <span class="room-pill-sub">
          {s.status === 'live' ? <LiveBadge viewers={viewers} /> : <StatusBadge status={s.status} testid="room-status" />}
          <Link href={`/shops/${s.shop_id}`} class="room-pill-shop">
            {s.shop_name || t('room.shop')}
          </Link>
        </span>
      </div>
      <FollowButton kind="shop" id={s.shop_id} name={s.shop_name} roomID={s.id} />
      {operator && (
        <Link href={`/studio/${s.id}`} class="btn btn-secondary small" data-testid="open-studio">
          {t('room.studio')}
        </Link>
      )}
    </header>
  );
}

/**
 * DealsTray holds the running deals over the top of the video, side by
 * side (swipe for more), and folds away to one button so the video shows.
 */
function DealsTray({ ctl }: { ctl: SellingRoom }) {
  const [folded, setFolded] = useState(false);
  const n = useDealCount(ctl);
  if (n === 0) return null;
  return (
    <div class={folded ? 'deals folded' : 'deals'} data-testid="deals">
      <button type="button" class="deals-toggle" aria-expanded={!folded} onClick={() => setFolded(!folded)} data-testid="deals-toggle">
        {folded ? t('room.deals.show', { n }) : t('room.deals.hide')}
      </button>
      {!folded && <SellingPanels ctl={ctl} />}
    </div>
  );
}
/** explainingProduct is the product being explained: from the explain event when it has one, else from the shelf. */
function explainingProduct(s: LiveSession, e: ExplainEvent | null): LiveProduct | undefined {
  if (e && e.product_id === s.explaining_product_id && e.product) return e.product;
  return shelf(s).find((p) => p.product_id === s.explaining_product_id);
}

/** ConnectionNotice shows the socket's notice, in the language of the moment when it has a key. */
function ConnectionNotice({ notice, noticeKey }: { notice: string; noticeKey?: MessageKey }) {
  if (!notice) return null;
  return (
    <p class="room-notice" role="status" data-testid="room-notice">
      {noticeKey ? t(noticeKey) : notice}
    </p>
  );
}

/** useOperator: may this user run the room (studio link)? */
function useOperator(s: LiveSession): boolean {
  const me = useSession().me;
  return !!shopRole(me, s.shop_id) || !!me.user?.is_admin || (!!me.user && me.user.id === s.host_id);
}

/** useViewers: who watches, from the socket's counts, else (no socket yet) from the stream's health. */
function useViewers(s: LiveSession, counts: RoomCounts | null): number | undefined {
  const useHealth = s.status === 'live' && !counts;
  const health = useAsync((signal) => (useHealth ? live.health(s.id, signal).catch(() => null) : Promise.resolve(null)), [s.id, useHealth]);
  usePoll(health.reload, HEALTH_MS, useHealth);
  return counts ? counts.current : health.data ? viewerTotal(health.data) : undefined;
}

function RoomHead({ s, counts }: { s: LiveSession; counts: RoomCounts | null }) {
  const operator = useOperator(s);
  const viewers = useViewers(s, counts);
  return (
    <div class="room-head">
      <div class="room-status">
        {s.status === 'live' ? <LiveBadge viewers={viewers} /> : <StatusBadge status={s.status} testid="room-status" />}
        {operator && (
          <Link href={`/studio/${s.id}`} class="btn btn-secondary small" data-testid="open-studio">
            {t('room.studio')}
          </Link>
        )}
      </div>
      <h1 data-testid="room-title">{s.title}</h1>
      <p class="muted small">
        <Link href={`/shops/${s.shop_id}`}>{s.shop_name || t('room.shop')}</Link>
        {s.host_name ? ` · ${t('room.hostedBy', { name: s.host_name })}` : ''}
      </p>
      <RoomFollow s={s} />
      <p class="muted small">
        {s.status === 'scheduled' && t('room.plannedFor', { time: dateTime(s.planned_start) })}
        {s.status === 'live' && s.started_at && t('room.liveSince', { time: dateTime(s.started_at) })}
        {(s.status === 'ended' || s.status === 'replay') && s.ended_at && t('room.streamed', { from: dateTime(s.started_at), to: dateTime(s.ended_at) })}
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
            <span>{t('room.cover.startsHere')}</span>
          </>
        ) : (
          <>
            <span class="spinner" aria-hidden="true" />
            <b data-testid="finalising">{t('room.cover.finalising')}</b>
            <div class="progress indeterminate" aria-hidden="true">
              <div class="progress-bar" />
            </div>
          </>
        )}
      </div>
    </div>
  );
}
