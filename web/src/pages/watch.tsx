// The vertical watch feed: one live room per screen, swiped through (CSS
// scroll snap; wheel, arrow keys, PageUp/PageDown and the up/down buttons
// on a laptop). Rooms come from the personal feed (live first, then the
// scheduled ones with their countdowns); the card on screen plays its room
// muted. The list refreshes quietly and keeps the card on screen in place.
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { feedAPI, type FeedItem } from '../components/feed';
import { WatchCard } from '../components/watch-card';
import { t } from '../i18n';
import { fillSlots } from '../i18n/slots';
import { Link } from '../router';
import { useSession } from '../session';
import { ErrorBox, Spinner, usePoll, useTitle } from '../ui';
import '../styles/watch.css';

const LIMIT = 30;
const REFRESH_MS = 15_000;
/** A card counts as the one on screen once this much of it shows. */
const ON_SCREEN = 0.6;

/** ranked puts live rooms first, then the scheduled ones, each in the feed's order. */
function ranked(items: FeedItem[]): FeedItem[] {
  return [...items.filter((it) => it.status === 'live'), ...items.filter((it) => it.status !== 'live')];
}

/**
 * merge updates the rooms already shown in place (so nothing moves under
 * the viewer), drops the ones gone from the feed except the card on
 * screen, and appends new rooms at the end: live ones before the
 * scheduled tail.
 */
export function merge(prev: FeedItem[], next: FeedItem[], keep: string): FeedItem[] {
  const fresh = new Map(next.map((it) => [it.id, it]));
  const kept = prev.filter((it) => fresh.has(it.id) || it.id === keep).map((it) => fresh.get(it.id) ?? it);
  const shown = new Set(kept.map((it) => it.id));
  const added = next.filter((it) => !shown.has(it.id));
  const firstScheduled = kept.findIndex((it) => it.status !== 'live');
  const liveAdded = added.filter((it) => it.status === 'live');
  const restAdded = added.filter((it) => it.status !== 'live');
  if (firstScheduled < 0) return [...kept, ...liveAdded, ...restAdded];
  return [...kept.slice(0, firstScheduled), ...liveAdded, ...kept.slice(firstScheduled), ...restAdded];
}

/** useTopbarHeight follows the header's height: the feed fills the screen below it. */
function useTopbarHeight(): number {
  const [h, setH] = useState(0);
  useEffect(() => {
    const bar = document.querySelector('.topbar');
    if (!bar) return;
    const measure = () => setH(Math.round(bar.getBoundingClientRect().height));
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(bar);
    return () => ro.disconnect();
  }, []);
  return h;
}

function smooth(): ScrollBehavior {
  return matchMedia('(prefers-reduced-motion: reduce)').matches ? 'auto' : 'smooth';
}

export function WatchFeed() {
  useTitle(t('watch.title'));
  const signedIn = !!useSession().me.user;
  const [items, setItems] = useState<FeedItem[] | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [active, setActive] = useState('');
  const [muted, setMuted] = useState(true);
  const scroller = useRef<HTMLDivElement>(null);
  const activeRef = useRef(active);
  activeRef.current = active;
  const top = useTopbarHeight();

  const load = (first: boolean) =>
    feedAPI.feed(LIMIT).then(
      (p) => {
        setError(null);
        setItems((prev) => (first || !prev ? ranked(p.items) : merge(prev, ranked(p.items), activeRef.current)));
      },
      (e) => first && setError(e),
    );
  useEffect(() => {
    setItems(null);
    load(true);
  }, [signedIn]);
  // Quiet refreshes: a failed one keeps what is shown.
  usePoll(() => load(false), REFRESH_MS, items !== null);

  // The page scrolls inside the feed, not the document.
  useEffect(() => {
    document.documentElement.classList.add('watching');
    return () => document.documentElement.classList.remove('watching');
  }, []);

  const ids = (items ?? []).map((it) => it.id).join(',');
  useEffect(() => {
    if (!items || items.length === 0) return;
    if (!active || !items.some((it) => it.id === active)) setActive(items[0].id);
    const root = scroller.current;
    if (!root) return;
    const io = new IntersectionObserver(
      (entries) => {
        for (const e of entries) {
          if (e.isIntersecting && e.intersectionRatio >= ON_SCREEN) setActive((e.target as HTMLElement).dataset.sessionId ?? '');
        }
      },
      { root, threshold: [ON_SCREEN] },
    );
    root.querySelectorAll('.watch-card').forEach((el) => io.observe(el));
    return () => io.disconnect();
  }, [ids]);

  // Keep the card on screen in place when rooms before it leave the list.
  const lastIndex = useRef(-1);
  const index = (items ?? []).findIndex((it) => it.id === active);
  useLayoutEffect(() => {
    const root = scroller.current;
    if (root && index >= 0 && lastIndex.current >= 0 && index !== lastIndex.current) {
      const el = root.children[index] as HTMLElement | undefined;
      if (el && Math.abs(root.scrollTop - el.offsetTop) > el.offsetHeight / 2) root.scrollTop = el.offsetTop;
    }
    lastIndex.current = index;
  }, [ids]);
  useLayoutEffect(() => {
    lastIndex.current = index;
  }, [index]);

  const go = (to: number) => {
    const root = scroller.current;
    if (!root || !items) return;
    const i = Math.max(0, Math.min(items.length - 1, to));
    const el = root.children[i] as HTMLElement | undefined;
    if (el) root.scrollTo({ top: el.offsetTop, behavior: smooth() });
  };
  const cur = Math.max(0, index);

  // Arrow keys, PageUp/PageDown and j/k move a card, anywhere on the page but in a field.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      const el = e.target as HTMLElement | null;
      if (el && (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName))) return;
      let d = 0;
      if (e.key === 'ArrowDown' || e.key === 'PageDown' || e.key === 'j') d = 1;
      else if (e.key === 'ArrowUp' || e.key === 'PageUp' || e.key === 'k') d = -1;
      if (!d) return;
      e.preventDefault();
      go(cur + d);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  });

  const style = top ? { top: `${top}px` } : undefined;
  if (error && !items)
    return (
      <div class="watch-shell watch-message" style={style}>
        <ErrorBox err={error} retry={() => load(true)} />
      </div>
    );
  if (!items)
    return (
      <div class="watch-shell watch-message" style={style}>
        <Spinner />
      </div>
    );
  if (items.length === 0)
    return (
      <div class="watch-shell watch-message" style={style} data-testid="watch-feed" data-empty="true">
        <div class="watch-empty">
          <h1>{t('watch.empty')}</h1>
          <p>{fillSlots(t('watch.emptyHint'), { link: <Link href="/schedule">{t('watch.schedule')}</Link> })}</p>
        </div>
      </div>
    );
  return (
    <div class="watch-shell" style={style}>
      <h1 class="sr-only">{t('watch.title')}</h1>
      <div class="watch-feed" ref={scroller} tabIndex={0} role="region" aria-label={t('watch.feed')} aria-describedby="watch-keys" data-testid="watch-feed">
        {items.map((it, i) => (
          <WatchCard key={it.id} it={it} active={it.id === active} near={Math.abs(i - cur) <= 1} muted={muted} setMuted={setMuted} n={i + 1} total={items.length} />
        ))}
      </div>
      <p id="watch-keys" class="sr-only">
        {t('watch.keys')}
      </p>
      <div class="watch-nav">
        <button type="button" class="watch-step" onClick={() => go(cur - 1)} disabled={cur <= 0} aria-label={t('watch.prev')} title={t('watch.prev')} data-testid="watch-prev">
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <path d="M6 15l6-6 6 6" />
          </svg>
        </button>
        <button
          type="button"
          class="watch-step"
          onClick={() => go(cur + 1)}
          disabled={cur >= items.length - 1}
          aria-label={t('watch.next')}
          title={t('watch.next')}
          data-testid="watch-next"
        >
          <svg viewBox="0 0 24 24" aria-hidden="true">
            <path d="M6 9l6 6 6-6" />
          </svg>
        </button>
      </div>
    </div>
  );
}
