// Wizard step 1: about the shop — name, category, region and county, and the
// fee programme. Giving a county picks the rural programme (no platform fee)
// unless the merchant chose another; what is typed is kept on the phone
// until it is sent, so a reload or a dropped connection loses nothing.
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, list, one } from '../../api';
import { percent } from '../../format';
import { t } from '../../i18n';
import { loadSession } from '../../session';
import { CATEGORIES, type Programme, type Shop } from '../../types';
import { Button, Field, FormError, Loaded, useAction, useAsync, val } from '../../ui';
import { feeText } from './shops';
import { categoryLabel, programmeDescription, programmeName } from './text';

const DRAFT = 'liveshop.onboard.about';
const FIELDS = ['name', 'description', 'category', 'region', 'county', 'programme'];

type About = { name: string; description: string; category: string; region: string; county: string; programme: string };
const blank: About = { name: '', description: '', category: '', region: '', county: '', programme: '' };

/** useDraft is state mirrored into localStorage under key (best effort: private mode may refuse). */
export function useDraft<T extends object>(key: string, init: T): [T, (v: T) => void, () => void] {
  const [v, setV] = useState<T>(() => {
    try {
      const saved = localStorage.getItem(key);
      return saved ? { ...init, ...(JSON.parse(saved) as Partial<T>) } : init;
    } catch {
      return init;
    }
  });
  useEffect(() => {
    try {
      localStorage.setItem(key, JSON.stringify(v));
    } catch {
      // storage full or refused: the form still works, it just is not kept
    }
  }, [key, v]);
  const clear = () => {
    try {
      localStorage.removeItem(key);
    } catch {
      // nothing to clear
    }
  };
  return [v, setV, clear];
}

/** useFocusInvalid moves focus to the first field an error names, so a phone scrolls to it. */
export function useFocusInvalid(err: unknown): void {
  useEffect(() => {
    if (!err) return;
    const el = document.querySelector<HTMLElement>('.wizard .field.invalid input, .wizard .field.invalid select, .wizard .field.invalid textarea');
    el?.focus();
  }, [err]);
}

const need = (field: string, key: Parameters<typeof t>[0]) => new ApiError(400, 'invalid', t(key), field);

export function AboutShop({ onApplied }: { onApplied: (s: Shop) => void }) {
  const programmes = useAsync(async (signal) => (await list<Programme>('/programmes', undefined, signal)).items, []);
  const [f, setF, clear] = useDraft<About>(DRAFT, blank);
  const set = (k: keyof About) => (e: Event) => setF({ ...f, [k]: val(e) });
  const ps = programmes.data ?? [];
  const has = (code: string) => ps.some((p) => p.code === code);
  // Until the merchant picks one: rural when a county is given, else standard.
  const auto = f.county.trim() && has('rural') ? 'rural' : has('standard') ? 'standard' : (ps[0]?.code ?? '');
  const programme = f.programme && has(f.programme) ? f.programme : auto;
  const chosen = ps.find((p) => p.code === programme);

  const act = useAction(async () => {
    if (!f.name.trim()) throw need('name', 'merchant.wizard.err.name');
    if (!f.category) throw need('category', 'merchant.wizard.err.category');
    if (!f.region.trim()) throw need('region', 'merchant.wizard.err.region');
    if (programme === 'rural' && !f.county.trim()) throw need('county', 'merchant.wizard.err.county');
    const sh = one<Shop>(await api.post('/shops', { ...f, programme }), 'shop');
    clear();
    await loadSession();
    onApplied(sh);
  });
  useFocusInvalid(act.error);

  return (
    <form
      class="form card"
      data-testid="apply-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        act.run();
      }}
    >
      <h2>{t('merchant.wizard.step1')}</h2>
      <p class="muted">{t('merchant.apply.intro')}</p>
      <Field label={t('merchant.apply.name')} name="name" err={act.error}>
        <input name="name" data-testid="apply-name" required maxLength={80} autoComplete="organization" value={f.name} onInput={set('name')} />
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
      <div class="row2">
        <Field label={t('merchant.apply.region')} name="region" err={act.error}>
          <input name="region" data-testid="apply-region" required maxLength={80} autoComplete="address-level1" value={f.region} onInput={set('region')} />
        </Field>
        <Field
          label={programme === 'rural' ? t('merchant.apply.county') : t('merchant.apply.countyOptional')}
          name="county"
          err={act.error}
          hint={has('rural') ? t('merchant.wizard.countyHint') : undefined}
        >
          <input name="county" data-testid="apply-county" required={programme === 'rural'} maxLength={80} autoComplete="address-level2" value={f.county} onInput={set('county')} />
        </Field>
      </div>
      <fieldset class="field" data-testid="apply-programmes">
        <legend class="field-label">{t('merchant.apply.programme')}</legend>
        <Loaded a={programmes}>
          {(list) => (
            <div class="choices">
              {list.map((p) => (
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
        {chosen?.code === 'rural' && (
          <p class="wiz-explain" data-testid="rural-explained">
            {t('merchant.wizard.ruralPlain', {
              fee: chosen.platform_fee_bps === 0 ? t('merchant.wizard.feeNone') : t('merchant.wizard.feeSome', { pct: percent(chosen.platform_fee_bps) }),
            })}
          </p>
        )}
        <FormError err={act.error && (act.error as { field?: string }).field === 'programme' ? act.error : null} />
      </fieldset>
      <Field label={t('merchant.wizard.descriptionOptional')} name="description" err={act.error}>
        <textarea name="description" data-testid="apply-description" rows={3} maxLength={2000} value={f.description} onInput={set('description')} />
      </Field>
      <FormError err={act.error} fields={FIELDS} />
      <p class="muted small">{t('merchant.wizard.savedAsYouType')}</p>
      <Button type="submit" busy={act.busy} data-testid="apply-submit" class="wide">
        {t('merchant.apply.submit')}
      </Button>
    </form>
  );
}
