// PagedList shows a list endpoint's first page and a "Load more" button
// that follows next_cursor; changing the query starts over.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { list, type Query } from '../api';
import { t } from '../i18n';
import { Button, Empty, FormError, Loaded, useAction, useAsync } from '../ui';

const PAGE = 20;

export function PagedList<T>(p: {
  path: string;
  query: Query;
  /** Changing nonce reloads without changing the query (a refresh button). */
  nonce?: number;
  testid: string;
  empty: ComponentChildren;
  render: (item: T) => ComponentChildren;
}) {
  const key = JSON.stringify(p.query);
  const [extra, setExtra] = useState<{ key: string; items: T[]; cursor: string } | null>(null);
  const a = useAsync((signal) => list<T>(p.path, { ...p.query, limit: PAGE }, signal), [p.path, key, p.nonce]);
  const mine = extra?.key === key ? extra : null;
  const more = useAction(async () => {
    const pg = await list<T>(p.path, { ...p.query, limit: PAGE, cursor: mine ? mine.cursor : a.data?.next_cursor });
    setExtra({ key, items: [...(mine?.items ?? []), ...pg.items], cursor: pg.next_cursor });
  });
  return (
    <Loaded a={a}>
      {(pg) => {
        const items = [...pg.items, ...(mine?.items ?? [])];
        const cursor = mine ? mine.cursor : pg.next_cursor;
        if (items.length === 0) return <Empty>{p.empty}</Empty>;
        return (
          <>
            <ul class="list" data-testid={p.testid}>
              {items.map(p.render)}
            </ul>
            <FormError err={more.error} />
            {cursor && (
              <div class="center">
                <Button kind="secondary" busy={more.busy} onClick={() => more.run()}>
                  {t('viewer.loadMore')}
                </Button>
              </div>
            )}
          </>
        );
      }}
    </Loaded>
  );
}
