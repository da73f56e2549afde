// The studio's shelf editor: reorder, add and remove the session's
// products, then save (PATCH product_ids); viewers get the new shelf live.
import { useEffect, useState } from 'preact/hooks';
import { list, selling } from '../../api';
import type { LiveProduct, LiveSession, Product } from '../../types';
import { t } from '../../i18n';
import { Button, Card, FormError, Thumb, useAction, useAsync } from '../../ui';
import { imageThumb, shelf } from '../live';

export function ShelfEditor({ s, onSession }: { s: LiveSession; onSession: (s: LiveSession) => void }) {
  const current = shelf(s);
  const key = current.map((p) => p.product_id).join(',');
  const [ids, setIds] = useState<string[]>(() => current.map((p) => p.product_id));
  const [adding, setAdding] = useState('');
  // The session changed elsewhere (a refresh, another operator): start again from it.
  useEffect(() => setIds(current.map((p) => p.product_id)), [key]);
  const catalog = useAsync((signal) => list<Product>('/products', { shop_id: s.shop_id, status: 'active', limit: 100 }, signal), [s.shop_id]);
  const save = useAction(async () => onSession(await selling.setShelf(s.id, ids)));

  const known = new Map<string, { title: string; image_id: string }>(current.map((p: LiveProduct) => [p.product_id, p]));
  for (const p of catalog.data?.items ?? []) if (!known.has(p.id)) known.set(p.id, { title: p.title, image_id: p.images?.[0]?.id ?? '' });
  const addable = (catalog.data?.items ?? []).filter((p) => p.status === 'active' && !ids.includes(p.id));
  const move = (i: number, d: number) => {
    const j = i + d;
    if (j < 0 || j >= ids.length) return;
    const next = ids.slice();
    [next[i], next[j]] = [next[j], next[i]];
    setIds(next);
  };
  const changed = ids.join(',') !== key;
  return (
    <Card title={t('studio.shelfEdit.title')}>
      {ids.length === 0 ? (
        <p class="muted small">{t('studio.shelfEdit.empty')}</p>
      ) : (
        <ol class="shelf" data-testid="shelf-editor">
          {ids.map((id, i) => {
            const p = known.get(id);
            return (
              <li key={id} class="shelf-item" data-testid="shelf-edit-item" data-product-id={id}>
                <span class="shelf-pos">{i + 1}</span>
                <Thumb src={imageThumb(p?.image_id)} alt={p?.title ?? id} size="sm" />
                <span class="shelf-title grow">{p?.title ?? id}</span>
                <span class="shelf-edit-actions">
                  <button type="button" class="btn btn-ghost small" onClick={() => move(i, -1)} disabled={i === 0} aria-label={t('studio.shelfEdit.up')}>
                    ↑
                  </button>
                  <button type="button" class="btn btn-ghost small" onClick={() => move(i, 1)} disabled={i === ids.length - 1} aria-label={t('studio.shelfEdit.down')}>
                    ↓
                  </button>
                  <button type="button" class="btn btn-ghost small" onClick={() => setIds(ids.filter((x) => x !== id))} aria-label={t('studio.shelfEdit.remove')} data-testid="shelf-remove">
                    ✕
                  </button>
                </span>
              </li>
            );
          })}
        </ol>
      )}
      <div class="row console-add">
        <select class="grow" value={adding} onChange={(e) => setAdding((e.currentTarget as HTMLSelectElement).value)} aria-label={t('studio.shelfEdit.addLabel')} data-testid="shelf-add-select">
          <option value="">{t('studio.shelfEdit.addPlaceholder')}</option>
          {addable.map((p) => (
            <option key={p.id} value={p.id}>
              {p.title}
            </option>
          ))}
        </select>
        <Button
          kind="secondary"
          class="small"
          disabled={!adding}
          onClick={() => {
            setIds([...ids, adding]);
            setAdding('');
          }}
          data-testid="shelf-add"
        >
          {t('studio.shelfEdit.add')}
        </Button>
      </div>
      <FormError err={save.error ?? catalog.error} />
      <div class="actions">
        <Button busy={save.busy} disabled={!changed} onClick={() => save.run()} data-testid="shelf-save">
          {t('studio.shelfEdit.save')}
        </Button>
        {changed && (
          <Button kind="ghost" class="small" onClick={() => setIds(current.map((p) => p.product_id))}>
            {t('studio.shelfEdit.undo')}
          </Button>
        )}
      </div>
    </Card>
  );
}
