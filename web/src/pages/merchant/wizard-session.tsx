// Wizard step 4: schedule the first live session with the first product on
// its shelf, then open the studio. Once a session exists the step shows it
// with the studio link, so coming back later lands on the same place.
import { useState } from 'preact/hooks';
import { ApiError, live } from '../../api';
import { firstThumb } from '../../components/products';
import { dateTime, priceRange } from '../../format';
import { t } from '../../i18n';
import { Link } from '../../router';
import type { LiveSession, Product, Shop } from '../../types';
import { Button, Field, FormError, Thumb, useAction, val } from '../../ui';
import { useDraft, useFocusInvalid } from './wizard-about';

/** inAnHour is the default start: the next full hour, as a datetime-local value in local time. */
function inAnHour(): string {
  const d = new Date(Date.now() + 60 * 60 * 1000);
  d.setMinutes(0, 0, 0);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

const bad = (field: string, msg: string) => new ApiError(400, 'invalid', msg, field);

export function FirstSession({ shop, product, session, onDone }: { shop: Shop; product: Product; session?: LiveSession; onDone: () => void }) {
  const [f, setF, clear] = useDraft(`liveshop.onboard.session.${shop.id}`, { title: '', start: inAnHour(), shelf: true });
  const [created, setCreated] = useState<LiveSession | null>(null);
  const act = useAction(async () => {
    if (!f.title.trim()) throw bad('title', t('merchant.wizard.err.sessionTitle'));
    const when = new Date(f.start);
    if (!f.start || Number.isNaN(when.getTime())) throw bad('planned_start', t('merchant.wizard.err.start'));
    const st = await live.create(shop.id, {
      title: f.title.trim(),
      planned_start: when.toISOString(),
      product_ids: f.shelf ? [product.id] : [],
    });
    clear();
    setCreated(st.session);
    onDone();
  });
  useFocusInvalid(act.error);

  const done = created ?? session;
  if (done)
    return (
      <section class="card stack wiz-done" data-testid="wizard-done" data-session-id={done.id}>
        <h2>{t('merchant.wizard.doneTitle')}</h2>
        <p>{t('merchant.wizard.doneLead', { title: done.title, time: dateTime(done.planned_start) })}</p>
        <ol class="wiz-next">
          <li>{t('merchant.wizard.studio1')}</li>
          <li>{t('merchant.wizard.studio2')}</li>
        </ol>
        <Link class="btn btn-primary wide" href={`/studio/${done.id}`} data-testid="wizard-open-studio">
          {t('merchant.wizard.openStudio')}
        </Link>
        <Link class="btn btn-secondary wide" href={`/merchant/shops/${shop.id}`} data-testid="wizard-open-console">
          {t('merchant.wizard.openConsole')}
        </Link>
      </section>
    );

  return (
    <form
      class="form card"
      data-testid="wizard-session"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        act.run();
      }}
    >
      <h2>{t('merchant.wizard.step4')}</h2>
      <p class="muted">{t('merchant.wizard.sessionLead')}</p>
      <Field label={t('merchant.wizard.sessionTitle')} name="title" err={act.error}>
        <input required maxLength={200} value={f.title} onInput={(e) => setF({ ...f, title: val(e) })} placeholder={t('merchant.live.titlePlaceholder')} data-testid="wizard-session-title" />
      </Field>
      <Field label={t('merchant.live.start')} name="planned_start" err={act.error} hint={t('merchant.live.startHint')}>
        <input type="datetime-local" required value={f.start} onInput={(e) => setF({ ...f, start: val(e) })} data-testid="wizard-session-start" />
      </Field>
      <fieldset class="field">
        <legend class="field-label">{t('merchant.wizard.shelf')}</legend>
        <label class={f.shelf ? 'pick selected' : 'pick'}>
          <input type="checkbox" checked={f.shelf} onChange={() => setF({ ...f, shelf: !f.shelf })} data-testid="wizard-shelf-product" data-product-id={product.id} />
          <Thumb src={firstThumb(product)} alt={product.title} size="sm" />
          <span class="grow">{product.title}</span>
          <span class="price small">{priceRange(product.skus)}</span>
        </label>
        <FormError err={act.error && (act.error as ApiError).field === 'product_ids' ? act.error : null} />
      </fieldset>
      <FormError err={act.error} fields={['title', 'planned_start', 'product_ids']} />
      <Button type="submit" busy={act.busy} class="wide" data-testid="wizard-session-submit">
        {t('merchant.wizard.schedule')}
      </Button>
    </form>
  );
}
