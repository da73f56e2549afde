// Search: the box in the header and the results page /search?q=&kind=,
// grouping live rooms, replays, shops and products (GET /api/v1/search).
import { useEffect, useState } from 'preact/hooks';
import { api, errorMessage } from '../api';

import { dateTime } from '../format';
import { t } from '../i18n';
import { Link, navigate, setQuery, useLocation } from '../router';
import { Empty, ErrorBox, Spinner, StatusBadge, Thumb, useAsync, useTitle, val } from '../ui';
import '../styles/search.css';
import { fillSlots } from '../i18n/slots';

type Kind = 'live' | 'replay' | 'shop' | 'product';

export interface SearchResult {
  kind: Kind;
  id: string;
  title: string;
  snippet: string;
  score: number;
  status?: string;
  shop_id: string;
  shop_name?: string;
  image_id?: string;
  planned_start?: string;
}

interface SearchAnswer {
  results: SearchResult[];
  next_cursor: string;
}

const MAX_QUERY = 100;
const PAGE = 50;

// Groups and tabs are functions so that their titles follow a language switch.
const groups = (): { kind: Kind; title: string }[] => [
  { kind: 'live', title: t('discover.search.group.live') },
  { kind: 'replay', title: t('discover.search.group.replay') },
  { kind: 'shop', title: t('discover.search.group.shop') },
  { kind: 'product', title: t('discover.search.group.product') },
];

const tabs = (): [string, string][] => [
  ['', t('discover.search.tab.all')],
  ['live', t('discover.search.tab.live')],
  ['replay', t('discover.search.tab.replay')],
  ['shop', t('discover.search.tab.shop')],
  ['product', t('discover.search.tab.product')],
];

function searchAPI(q: string, kind: string, cursor: string, signal?: AbortSignal): Promise<SearchAnswer> {
  return api.get<SearchAnswer>('/search', { q, kind: kind || undefined, limit: PAGE, cursor: cursor || undefined }, signal);
}

function href(r: SearchResult): string {
  switch (r.kind) {
    case 'live':
    case 'replay':
      return `/live/${encodeURIComponent(r.id)}`;
    case 'shop':
      return `/shops/${encodeURIComponent(r.id)}`;
    default:
      return `/products/${encodeURIComponent(r.id)}`;
  }
}

/** SearchBox is the header's search field; it keeps the query of the results page it is on. */
export function SearchBox() {
  const { path, query } = useLocation();
  const current = path === '/search' ? (query.get('q') ?? '') : '';
  const [q, setQ] = useState(current);
  useEffect(() => setQ(current), [current]);
  return (
    <form
      class="searchbox"
      role="search"
      data-testid="search-box"
      onSubmit={(e) => {
        e.preventDefault();
        const text = q.trim();
        if (text) navigate(`/search?q=${encodeURIComponent(text)}`);
      }}
    >
      <input
        type="search"
        name="q"
        value={q}
        maxLength={MAX_QUERY}
        placeholder={t('discover.search.placeholder')}
        aria-label={t('discover.search.label')}
        data-testid="search-input"
        onInput={(e) => setQ(val(e))}
      />
    </form>
  );
}

function ResultRow({ r }: { r: SearchResult }) {
  const img = r.image_id ? `/media/images/${encodeURIComponent(r.image_id)}/thumb` : undefined;
  const session = r.kind === 'live' || r.kind === 'replay';
  return (
    <Link href={href(r)} class="sresult" data-testid="search-result" data-kind={r.kind} data-id={r.id}>
      <Thumb src={img} alt={r.title} size="sm" />
      <div class="sresult-body">
        <div class="sresult-title">
          <span>{r.title}</span>
          {session && r.status && <StatusBadge status={r.status} />}
        </div>
        {r.snippet && <p class="sresult-snippet muted">{r.snippet}</p>}
        <div class="sresult-meta muted">
          {r.shop_name && r.kind !== 'shop' && <span>{r.shop_name}</span>}
          {r.status === 'scheduled' && r.planned_start && <span>{t('discover.search.starts', { when: dateTime(r.planned_start) })}</span>}
        </div>
      </div>
    </Link>
  );
}

/** SearchPage shows /search?q=&kind= in groups, with more on demand. */
export function SearchPage() {
  const { query } = useLocation();
  const q = (query.get('q') ?? '').trim();
  const kind = query.get('kind') ?? '';
  useTitle(q ? t('discover.search.titleQuery', { q }) : t('discover.search.title'));
  const first = useAsync((signal) => (q ? searchAPI(q, kind, '', signal) : Promise.resolve({ results: [], next_cursor: '' })), [q, kind]);
  const [more, setMore] = useState<SearchAnswer | null>(null);
  const [moreErr, setMoreErr] = useState('');
  useEffect(() => {
    setMore(null);
    setMoreErr('');
  }, [q, kind]);

  if (!q) {
    return (
      <Empty>
        <h1>{t('discover.search.title')}</h1>
        <p>{t('discover.search.hint')}</p>
      </Empty>
    );
  }
  const results = [...(first.data?.results ?? []), ...(more?.results ?? [])];
  const next = more ? more.next_cursor : (first.data?.next_cursor ?? '');
  const loadMore = async () => {
    setMoreErr('');
    try {
      const pg = await searchAPI(q, kind, next);
      setMore({ results: [...(more?.results ?? []), ...pg.results], next_cursor: pg.next_cursor });
    } catch (e) {
      setMoreErr(errorMessage(e));
    }
  };
  return (
    <div class="stack" data-testid="search-page">
      <h1>{fillSlots(t('discover.search.resultsFor'), { q: <span class="search-q">“{q}”</span> })}</h1>
      <div class="tabs small" role="tablist">
        {tabs().map(([k, text]) => (
          <button key={k} role="tab" aria-selected={kind === k} class={kind === k ? 'tab active' : 'tab'} data-testid={`search-tab-${k || 'all'}`} onClick={() => setQuery({ kind: k })}>
            {text}
          </button>
        ))}
      </div>
      {first.error ? (
        <ErrorBox err={first.error} />
      ) : first.loading && !first.data ? (
        <Spinner text={t('discover.search.searching')} />
      ) : results.length === 0 ? (
        <Empty>
          <p data-testid="search-empty">{t('discover.search.empty', { q })}</p>
        </Empty>
      ) : (
        groups().map((g) => {
          const rs = results.filter((r) => r.kind === g.kind);
          if (rs.length === 0) return null;
          return (
            <section key={g.kind} class="sgroup" data-testid={`search-group-${g.kind}`}>
              <h2>
                {g.title} <span class="muted">{rs.length}</span>
              </h2>
              <div class="sgroup-list">
                {rs.map((r) => (
                  <ResultRow key={`${r.kind}:${r.id}`} r={r} />
                ))}
              </div>
            </section>
          );
        })
      )}
      {next && (
        <button class="btn btn-secondary" data-testid="search-more" onClick={loadMore}>
          {t('discover.search.more')}
        </button>
      )}
      {moreErr && <p class="error">{moreErr}</p>}
    </div>
  );
}
