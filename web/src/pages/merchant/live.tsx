// The console's live sessions: the shop's sessions with links to their
// studio and viewer page, and a form to schedule a new one with products
// from the shop's catalogue and an optional cover picture.
import { useState } from 'preact/hooks';
import { list, live } from '../../api';
import { firstThumb } from '../../components/products';
import { PagedList } from '../../components/paged';
import { dateTime, priceRange } from '../../format';
import { Link } from '../../router';
import type { LiveSession, Product, Shop } from '../../types';
import { Button, Card, Field, FormError, Loaded, Notice, StatusBadge, Thumb, useAction, useAsync, val } from '../../ui';
import { ChatFilterCard } from './chat-filter';

export function LiveTab({ shop }: { shop: Shop }) {
  const [nonce, setNonce] = useState(0);
  const [created, setCreated] = useState<LiveSession | null>(null);
  return (
    <div class="stack">
      {created && (
        <Notice onClose={() => setCreated(null)}>
          <p>
            Scheduled <b>{created.title}</b>.{' '}
            <Link href={`/studio/${created.id}`} data-testid="created-studio">
              Open the studio
            </Link>{' '}
            to go live, or share the <Link href={`/live/${created.id}`}>viewer page</Link>.
          </p>
        </Notice>
      )}
      <Card title="Live sessions">
        <PagedList<LiveSession>
          path="/live-sessions"
          query={{ shop_id: shop.id }}
          nonce={nonce}
          testid="live-sessions"
          empty="No live sessions yet. Schedule one below."
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
  const when = s.status === 'scheduled' ? `planned ${dateTime(s.planned_start)}` : s.started_at ? `started ${dateTime(s.started_at)}` : '';
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
          {when} · {n} product{n === 1 ? '' : 's'}
          {s.host_name ? ` · host ${s.host_name}` : ''}
        </p>
      </div>
      <div class="live-row-actions">
        {(s.status === 'scheduled' || s.status === 'live') && (
          <Link href={`/studio/${s.id}`} class="btn btn-primary small" data-testid="studio-link">
            Studio
          </Link>
        )}
        <Link href={`/live/${s.id}`} class="btn btn-secondary small">
          {s.status === 'replay' ? 'Replay' : 'Viewer page'}
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
    <Card title="Schedule a live session">
      <form
        class="form"
        onSubmit={(e) => {
          e.preventDefault();
          create.run();
        }}
      >
        <Field label="Title" name="title" err={create.error}>
          <input required maxLength={200} value={title} onInput={(e) => setTitle(val(e))} placeholder="Spring tea picking, live from the hills" data-testid="live-title" />
        </Field>
        <Field label="Planned start" name="planned_start" err={create.error} hint="Your local time. Viewers see a countdown.">
          <input type="datetime-local" value={start} onInput={(e) => setStart(val(e))} data-testid="live-start" />
        </Field>
        <fieldset class="field">
          <legend class="field-label">Products on the shelf ({picked.length}, in the order picked)</legend>
          <input type="search" placeholder="Find a product" aria-label="Find a product" value={q} onInput={(e) => setQ(val(e))} />
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
            <legend class="field-label">Cover picture</legend>
            <div class="cover-picks">
              <button type="button" class={cover === '' ? 'cover-pick selected' : 'cover-pick'} onClick={() => setCover('')}>
                <span class="muted small">First product's picture</span>
              </button>
              {pictures.map((im) => (
                <button key={im.id} type="button" class={cover === im.id ? 'cover-pick selected' : 'cover-pick'} onClick={() => setCover(im.id)} title={im.title} data-testid="cover-pick">
                  <img src={im.thumb_url} alt={im.title} />
                </button>
              ))}
            </div>
            <p class="hint">Pictures come from the products you picked.</p>
          </fieldset>
        )}
        <Button type="submit" busy={create.busy} data-testid="live-submit">
          Schedule
        </Button>
      </form>
    </Card>
  );
}
