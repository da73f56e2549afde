// Merchant onboarding: apply for a shop, and the list of my shops with
// their review status.
import { useState } from 'preact/hooks';
import { api, list, one } from '../../api';
import { dateTime, label, percent } from '../../format';
import { Link, navigate } from '../../router';
import { loadSession } from '../../session';
import { CATEGORIES, type Programme, type Shop } from '../../types';
import { Button, Empty, Field, FormError, Loaded, StatusBadge, useAction, useAsync, useTitle, val } from '../../ui';

export function feeText(bps: number): string {
  return `${percent(bps)} platform fee`;
}

const FIELDS = ['name', 'description', 'category', 'region', 'county', 'programme'];

export function ApplyShop() {
  useTitle('Open a shop');
  const programmes = useAsync(async (signal) => (await list<Programme>('/programmes', undefined, signal)).items, []);
  const [f, setF] = useState({ name: '', description: '', category: '', region: '', county: '', programme: '' });
  const set = (k: keyof typeof f) => (e: Event) => setF({ ...f, [k]: val(e) });
  const programme = f.programme || programmes.data?.[0]?.code || '';
  const rural = programme === 'rural';
  const act = useAction(async () => {
    one<Shop>(await api.post('/shops', { ...f, programme }), 'shop');
    await loadSession();
    navigate('/merchant/shops?applied=1');
  });

  return (
    <div class="narrow">
      <h1>Open a shop</h1>
      <p class="muted">Tell us about your business. An admin reviews every application, usually within a day.</p>
      <form
        class="form"
        data-testid="apply-form"
        onSubmit={(e) => {
          e.preventDefault();
          act.run();
        }}
      >
        <Field label="Business name" name="name" err={act.error}>
          <input name="name" data-testid="apply-name" required maxLength={80} value={f.name} onInput={set('name')} />
        </Field>
        <Field label="Category" name="category" err={act.error}>
          <select name="category" data-testid="apply-category" required value={f.category} onChange={set('category')}>
            <option value="" disabled>
              Choose a category
            </option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {label(c)}
              </option>
            ))}
          </select>
        </Field>
        <Field label="Description" name="description" err={act.error}>
          <textarea name="description" data-testid="apply-description" rows={3} maxLength={2000} value={f.description} onInput={set('description')} />
        </Field>
        <div class="row2">
          <Field label="Region / province" name="region" err={act.error}>
            <input name="region" data-testid="apply-region" required maxLength={80} value={f.region} onInput={set('region')} />
          </Field>
          <Field label={rural ? 'County' : 'County (optional)'} name="county" err={act.error}>
            <input name="county" data-testid="apply-county" required={rural} maxLength={80} value={f.county} onInput={set('county')} />
          </Field>
        </div>
        <fieldset class="field" data-testid="apply-programmes">
          <legend class="field-label">Programme</legend>
          <Loaded a={programmes}>
            {(ps) => (
              <div class="choices">
                {ps.map((p) => (
                  <label key={p.code} class={programme === p.code ? 'choice selected' : 'choice'}>
                    <input
                      type="radio"
                      name="programme"
                      value={p.code}
                      checked={programme === p.code}
                      onChange={() => setF({ ...f, programme: p.code })}
                      data-testid={`programme-${p.code}`}
                    />
                    <span class="grow">
                      <b>{p.name || label(p.code)}</b>
                      {p.description && <small class="muted block">{p.description}</small>}
                    </span>
                    <span class={p.platform_fee_bps === 0 ? 'badge badge-ok' : 'badge badge-muted'}>{feeText(p.platform_fee_bps)}</span>
                  </label>
                ))}
              </div>
            )}
          </Loaded>
          <FormError err={act.error && (act.error as { field?: string }).field === 'programme' ? act.error : null} />
        </fieldset>
        <FormError err={act.error} fields={FIELDS} />
        <Button type="submit" busy={act.busy} data-testid="apply-submit" class="wide">
          Submit application
        </Button>
      </form>
    </div>
  );
}

export function ShopRow({ sh }: { sh: Shop }) {
  return (
    <li class="card shoprow-item" data-testid="my-shop" data-shop-id={sh.id} data-status={sh.status}>
      <div class="grow">
        <h3>{sh.status === 'approved' ? <Link href={`/merchant/shops/${sh.id}`}>{sh.name}</Link> : sh.name}</h3>
        <p class="muted small">
          {label(sh.category)} · {sh.region}
          {sh.county ? `, ${sh.county}` : ''} · {label(sh.programme)} programme · applied {dateTime(sh.created_at)}
        </p>
        {sh.status === 'rejected' && sh.reject_reason && (
          <p class="reject-reason" data-testid="reject-reason">
            Reason: {sh.reject_reason}
          </p>
        )}
        {sh.status === 'pending' && <p class="muted small">Waiting for review.</p>}
      </div>
      <StatusBadge status={sh.status} testid="shop-status" />
      {sh.status === 'approved' && (
        <Link class="btn btn-primary small" href={`/merchant/shops/${sh.id}`} data-testid="open-console">
          Open console
        </Link>
      )}
    </li>
  );
}

export function MyShops() {
  useTitle('My shops');
  const a = useAsync((signal) => list<Shop>('/shops', { mine: 1, limit: 100 }, signal), []);
  return (
    <div>
      <div class="page-head">
        <h1>My shops</h1>
        <Link class="btn btn-primary" href="/merchant/apply" data-testid="apply-shop">
          Apply for a shop
        </Link>
      </div>
      <Loaded a={a}>
        {(pg) =>
          pg.items.length === 0 ? (
            <Empty>
              <p>You have no shop yet.</p>
              <Link class="btn btn-primary" href="/merchant/apply">
                Open your first shop
              </Link>
            </Empty>
          ) : (
            <ul class="list" data-testid="my-shops">
              {pg.items.map((sh) => (
                <ShopRow key={sh.id} sh={sh} />
              ))}
            </ul>
          )
        }
      </Loaded>
    </div>
  );
}
