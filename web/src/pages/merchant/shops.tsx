// Merchant onboarding: apply for a shop, and the list of my shops with
// their review status.
import { useState } from 'preact/hooks';
import { api, list, one } from '../../api';
import { dateTime, percent } from '../../format';
import { t } from '../../i18n';
import { Link, navigate } from '../../router';
import { loadSession } from '../../session';
import { CATEGORIES, type Programme, type Shop } from '../../types';
import { Button, Empty, Field, FormError, Loaded, StatusBadge, useAction, useAsync, useTitle, val } from '../../ui';
import { categoryLabel, programmeDescription, programmeName, programmeOf } from './text';

export function feeText(bps: number): string {
  return t('merchant.programme.fee', { pct: percent(bps) });
}

const FIELDS = ['name', 'description', 'category', 'region', 'county', 'programme'];

export function ApplyShop() {
  useTitle(t('merchant.apply.title'));
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
      <h1>{t('merchant.apply.title')}</h1>
      <p class="muted">{t('merchant.apply.intro')}</p>
      <form
        class="form"
        data-testid="apply-form"
        onSubmit={(e) => {
          e.preventDefault();
          act.run();
        }}
      >
        <Field label={t('merchant.apply.name')} name="name" err={act.error}>
          <input name="name" data-testid="apply-name" required maxLength={80} value={f.name} onInput={set('name')} />
        </Field>
        <Field label={t('merchant.field.category')} name="category" err={act.error}>
          <select name="category" data-testid="apply-category" required value={f.category} onChange={set('category')}>
            <option value="" disabled>
              {t('merchant.apply.chooseCategory')}
            </option>
            {CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {categoryLabel(c)}
              </option>
            ))}
          </select>
        </Field>
        <Field label={t('merchant.field.description')} name="description" err={act.error}>
          <textarea name="description" data-testid="apply-description" rows={3} maxLength={2000} value={f.description} onInput={set('description')} />
        </Field>
        <div class="row2">
          <Field label={t('merchant.apply.region')} name="region" err={act.error}>
            <input name="region" data-testid="apply-region" required maxLength={80} value={f.region} onInput={set('region')} />
          </Field>
          <Field label={rural ? t('merchant.apply.county') : t('merchant.apply.countyOptional')} name="county" err={act.error}>
            <input name="county" data-testid="apply-county" required={rural} maxLength={80} value={f.county} onInput={set('county')} />
          </Field>
        </div>
        <fieldset class="field" data-testid="apply-programmes">
          <legend class="field-label">{t('merchant.apply.programme')}</legend>
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
                      <b>{programmeName(p)}</b>
                      {programmeDescription(p) && <small class="muted block">{programmeDescription(p)}</small>}
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
          {t('merchant.apply.submit')}
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
          {categoryLabel(sh.category)} · {sh.region}
          {sh.county ? `, ${sh.county}` : ''} · {programmeOf(sh.programme)} · {t('merchant.shops.applied', { time: dateTime(sh.created_at) })}
        </p>
        {sh.status === 'rejected' && sh.reject_reason && (
          <p class="reject-reason" data-testid="reject-reason">
            {t('merchant.shops.reason', { reason: sh.reject_reason })}
          </p>
        )}
        {sh.status === 'pending' && <p class="muted small">{t('merchant.shops.waiting')}</p>}
      </div>
      <StatusBadge status={sh.status} testid="shop-status" />
      {sh.status === 'approved' && (
        <Link class="btn btn-primary small" href={`/merchant/shops/${sh.id}`} data-testid="open-console">
          {t('merchant.shops.openConsole')}
        </Link>
      )}
    </li>
  );
}

export function MyShops() {
  useTitle(t('merchant.shops.title'));
  const a = useAsync((signal) => list<Shop>('/shops', { mine: 1, limit: 100 }, signal), []);
  return (
    <div>
      <div class="page-head">
        <h1>{t('merchant.shops.title')}</h1>
        <Link class="btn btn-primary" href="/merchant/apply" data-testid="apply-shop">
          {t('merchant.shops.apply')}
        </Link>
      </div>
      <Loaded a={a}>
        {(pg) =>
          pg.items.length === 0 ? (
            <Empty>
              <p>{t('merchant.shops.none')}</p>
              <Link class="btn btn-primary" href="/merchant/apply">
                {t('merchant.shops.openFirst')}
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
