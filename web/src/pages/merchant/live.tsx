// The console's live sessions: the shop's sessions with links to their
// studio and viewer page, and a form to schedule a new one with products
// from the shop's catalogue and an optional cover picture.
import { useState } from 'preact/hooks';
import { list, live } from '../../api';
import { firstThumb } from '../../components/products';
import { PagedList } from '../../components/paged';
import { dateTime, priceRange } from '../../format';
import { t } from '../../i18n';
import { Link } from '../../router';
import type { LiveSession, Product, Shop } from '../../types';
import { Button, Card, Field, FormError, Loaded, Notice, StatusBadge, Thumb, useAction, useAsync, val } from '../../ui';
import { ChatFilterCard } from './chat-filter';
import { plural } from './text';
import { tSlots } from '../../i18n/slots';

export function LiveTab({ shop }: { shop: Shop }) {
  const [nonce, setNonce] = useState(0);
  const [created, setCreated] = useState<LiveSession | null>(null);
  return (
    <div class="stack">
      {created && (
        <Notice onClose={() => setCreated(null)}>
          <p>
            {tSlots('merchant.live.scheduled', {
              title: <b>{created.title}</b>,
              studio: (
                <Link href={`/studio/${created.id}`} data-testid="created-studio">
                  {t('merchant.live.openStudio')}
                </Link>
              ),
              viewer: <Link href={`/live/${created.id}`}>{t('merchant.live.viewerPageLink')}</Link>,
            })}
          </p>
        </Notice>
      )}
      <Card title={t('merchant.live.sessions')}>
        <PagedList<LiveSession>
          path="/live-sessions"
          query={{ shop_id: shop.id }}
          nonce={nonce}
          testid="live-sessions"
          empty={t('merchant.live.empty')}
          render={(s) => <SessionRow key={s.id} s={s} />}
        />
      </Card>
      <ScheduleForm
        shop={shop}
        onCreated={(s) => {
          setCreated(s);
          setNonce((n) => n + 1);
        }}
      />
      <ChatFilterCard shopID={shop.id} />
    </div>
  );
}

function SessionRow({ s }: { s: LiveSession }) {
  const n = (s.products ?? []).length;
  const when =
    s.status === 'scheduled'
      ? t('merchant.live.planned', { time: dateTime(s.planned_start) })
      : s.started_at
        ? t('merchant.live.started', { time: dateTime(s.started_at) })
        : '';
  return (
    <li class="card live-row" data-testid="live-session" data-session-id={s.id} data-status={s.status}>
      <div class="grow">
        <div class="cproduct-head">
          <Link href={`/live/${s.id}`} class="cproduct-title">
            {s.title}
          </Link>
          <StatusBadge status={s.status} />
        </div>
        <p class="muted small">
          {when} · {plural('merchant.live.products.one', 'merchant.live.products.other', n)}
          {s.host_name ? ` · ${t('merchant.live.host', { name: s.host_name })}` : ''}
        </p>
      </div>
      <div class="live-row-actions">
        {(s.status === 'scheduled' || s.status === 'live') && (
          <Link href={`/studio/${s.id}`} class="btn btn-primary small" data-testid="studio-link">
            {t('merchant.live.studio')}
          </Link>
        )}
        <Link href={`/live/${s.id}`} class="btn btn-secondary small">
          {s.status === 'replay' ? t('merchant.live.replay') : t('merchant.live.viewerPage')}
        </Link>
      </div>
    </li>
  );
}

/** inAnHour is the default planned start, as a datetime-local value in local time. */
function inAnHour(): string {
  const d = new Date(Date.now() + 60 * 60 * 1000);
  d.setMinutes(0, 0, 0);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

function ScheduleForm({ shop, onCreated }: { shop: Shop; onCreated: (s: LiveSession) => void }) {
  const [title, setTitle] = useState('');
  const [start, setStart] = useState(inAnHour);
  const [picked, setPicked] = useState<Product[]>([]);
  const [cover, setCover] = useState('');
  const [q, setQ] = useState('');
  const catalog = useAsync((signal) => list<Product>('/products', { shop_id: shop.id, q: q.trim(), limit: 50 }, signal), [shop.id, q]);

  const create = useAction(async () => {
    const planned = start ? new Date(start) : null;
    const st = await live.create(shop.id, {
      title: title.trim(),
      planned_start: planned && !Number.isNaN(planned.getTime()) ? planned.toISOString() : undefined,
      product_ids: picked.map((p) => p.id),
      cover_image_id: cover || undefined,
    });
    setTitle('');
    setPicked([]);
    setCover('');
    onCreated(st.session);
  });
  const toggle = (p: Product) => {
    const next = picked.some((x) => x.id === p.id) ? picked.filter((x) => x.id !== p.id) : [...picked, p];
    setPicked(next);
    if (cover && !next.some((x) => (x.images ?? []).some((im) => im.id === cover))) setCover('');
  };
  const pictures = picked.flatMap((p) => (p.images ?? []).map((im) => ({ ...im, title: p.title })));

  return (
    <Card title={t('merchant.live.schedule')}>
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          create.run();
        }}
      >
        <Field label={t('merchant.field.title')} name="title" err={create.error}>
          <input required maxLength={200} value={title} onInput={(e) => setTitle(val(e))} placeholder={t('merchant.live.titlePlaceholder')} data-testid="live-title" />
        </Field>
        <Field label={t('merchant.live.start')} name="planned_start" err={create.error} hint={t('merchant.live.startHint')}>
          <input type="datetime-local" value={start} onInput={(e) => setStart(val(e))} data-testid="live-start" />
        </Field>
        <fieldset class="field">
          <legend class="field-label">{t('merchant.live.shelf', { n: picked.length })}</legend>
          <input type="search" placeholder={t('merchant.findProduct')} aria-label={t('merchant.findProduct')} value={q} onInput={(e) => setQ(val(e))} />
          <Loaded a={catalog}>
            {(pg) => (
              <ul class="plain pick-list" data-testid="live-products">
                {pg.items
                  .filter((p) => p.status === 'active')
                  .map((p) => {
                    const at = picked.findIndex((x) => x.id === p.id);
                    return (
                      <li key={p.id}>
                        <label class={at >= 0 ? 'pick selected' : 'pick'}>
                          <input type="checkbox" checked={at >= 0} onChange={() => toggle(p)} data-testid="live-product" data-product-id={p.id} />
                          <span class="pick-pos">{at >= 0 ? at + 1 : ''}</span>
                          <Thumb src={firstThumb(p)} alt={p.title} size="sm" />
                          <span class="grow">{p.title}</span>
                          <span class="price small">{priceRange(p.skus)}</span>
                        </label>
                      </li>
                    );
                  })}
              </ul>
            )}
          </Loaded>
          <FormError err={create.error} fields={['title', 'planned_start', 'cover_image_id']} />
        </fieldset>
        {pictures.length > 0 && (
          <fieldset class="field">
            <legend class="field-label">{t('merchant.live.cover')}</legend>
            <div class="cover-picks">
              <button type="button" class={cover === '' ? 'cover-pick selected' : 'cover-pick'} onClick={() => setCover('')}>
                <span class="muted small">{t('merchant.live.firstPicture')}</span>
              </button>
              {pictures.map((im) => (
                <button key={im.id} type="button" class={cover === im.id ? 'cover-pick selected' : 'cover-pick'} onClick={() => setCover(im.id)} title={im.title} data-testid="cover-pick">
                  <img src={im.thumb_url} alt={im.title} />
                </button>
              ))}
            </div>
            <p class="hint">{t('merchant.live.coverHint')}</p>
          </fieldset>
        )}
        <Button type="submit" busy={create.busy} data-testid="live-submit">
          {t('merchant.live.submit')}
        </Button>
      </form>
    </Card>
  );
}
