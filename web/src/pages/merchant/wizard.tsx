// The phone-first onboarding wizard (/merchant/apply): a farmer with a
// phone opens a shop in minutes. Four steps — about the shop, waiting for
// approval, the first product with a photo, the first live session — each
// saved as it goes. The step is worked out from what the server already
// has (the shop's status, its products, its sessions), so a reload or a
// visit days later (/merchant/apply?shop=ID) resumes where the merchant
// was; what is typed but not yet sent is kept in localStorage.
import { useEffect } from 'preact/hooks';
import { api, list, one } from '../../api';
import { t } from '../../i18n';
import { Link, navigate, useLocation } from '../../router';
import { loadSession } from '../../session';
import type { LiveSession, Product, Shop } from '../../types';
import { ErrorBox, Spinner, useAsync, usePoll, useTitle } from '../../ui';
import { AboutShop } from './wizard-about';
import { FirstProduct } from './wizard-product';
import { FirstSession } from './wizard-session';
import '../../styles/merchant-wizard.css';

/** The wizard's position, derived from the server's state. */
type Stage =
  | { step: 1 }
  | { step: 2; shop: Shop }
  | { step: 3; shop: Shop; product?: Product }
  | { step: 4; shop: Shop; product: Product; session?: LiveSession };

const STEPS = ['merchant.wizard.step1', 'merchant.wizard.step2', 'merchant.wizard.step3', 'merchant.wizard.step4'] as const;

/** stageOf reads where a shop's onboarding stands from its products and sessions. */
async function stageOf(id: string, signal: AbortSignal): Promise<Stage> {
  const shop = one<Shop>(await api.get(`/shops/${id}`, undefined, signal), 'shop');
  if (shop.status !== 'approved') return { step: 2, shop };
  const products = (await list<Product>('/products', { shop_id: id, limit: 5 }, signal)).items;
  // The first product with a picture counts; one without is finished on step 3.
  const product = products.find((p) => (p.images ?? []).length > 0);
  if (!product) return { step: 3, shop, product: products[0] };
  const sessions = (await list<LiveSession>('/live-sessions', { shop_id: id, limit: 1 }, signal)).items;
  return { step: 4, shop, product, session: sessions[0] };
}

export function OnboardingWizard() {
  useTitle(t('merchant.apply.title'));
  const { query } = useLocation();
  const shopID = query.get('shop') ?? '';
  const a = useAsync((signal) => (shopID ? stageOf(shopID, signal) : Promise.resolve<Stage>({ step: 1 })), [shopID]);
  // Right after step 1 the address gains ?shop= while the old answer is still held.
  const stage = shopID && a.data?.step === 1 ? undefined : a.data;
  // Waiting for approval: look again every few seconds, and at once when the
  // merchant comes back to the tab (phones suspend timers in the background).
  const waiting = stage?.step === 2 && stage.shop.status === 'pending';
  usePoll(a.reload, 3000, waiting);
  useEffect(() => {
    if (!waiting) return;
    const back = () => document.visibilityState === 'visible' && a.reload();
    document.addEventListener('visibilitychange', back);
    return () => document.removeEventListener('visibilitychange', back);
  }, [waiting]);
  // Approval gives the merchant the owner's role: refresh the session once.
  const approved = stage && stage.step > 2;
  useEffect(() => {
    if (approved) loadSession();
  }, [approved]);

  const go = (id: string) => navigate(`/merchant/apply?shop=${id}`, { replace: true });
  const step = stage?.step ?? (shopID ? 2 : 1);

  return (
    <div class="narrow wizard" data-testid="wizard" data-step={stage ? step : ''}>
      <h1>{t('merchant.apply.title')}</h1>
      <nav aria-label={t('merchant.wizard.progress')}>
        <p class="wiz-count muted small" data-testid="wizard-count">
          {t('merchant.wizard.count', { n: step, total: STEPS.length })}
        </p>
        <ol class="wiz-steps">
          {STEPS.map((key, i) => {
            const n = i + 1;
            const state = n < step ? 'done' : n === step ? 'current' : 'todo';
            return (
              <li key={key} class={`wiz-step ${state}`} aria-current={state === 'current' ? 'step' : undefined}>
                <span class="wiz-dot" aria-hidden="true">
                  {n < step ? '✓' : n}
                </span>
                <span class="wiz-label">
                  {t(key)}
                  {n < step && <span class="sr-only"> {t('merchant.wizard.doneSr')}</span>}
                </span>
              </li>
            );
          })}
        </ol>
      </nav>
      {a.error && !stage ? (
        <ErrorBox err={a.error} retry={a.reload} />
      ) : !stage ? (
        <Spinner />
      ) : stage.step === 1 ? (
        <>
          <InProgress />
          <AboutShop onApplied={(sh) => go(sh.id)} />
        </>
      ) : stage.step === 2 ? (
        <Waiting shop={stage.shop} checking={a.loading} />
      ) : stage.step === 3 ? (
        <FirstProduct shop={stage.shop} existing={stage.product} onDone={a.reload} />
      ) : (
        <FirstSession shop={stage.shop} product={stage.product} session={stage.session} onDone={a.reload} />
      )}
    </div>
  );
}

/**
 * InProgress offers to resume an application the merchant already sent
 * (a phone's tab was closed, or the link with ?shop= was lost) instead
 * of leaving them to apply twice.
 */
function InProgress() {
  const a = useAsync((signal) => list<Shop>('/shops', { mine: 1, limit: 20 }, signal).catch(() => null), []);
  const pending = a.data?.items.find((sh) => sh.status === 'pending');
  if (!pending) return null;
  return (
    <section class="card stack" data-testid="wizard-resume" data-shop-id={pending.id}>
      <h2>{t('merchant.wizard.resumeTitle')}</h2>
      <p>{t('merchant.wizard.resumeLead', { name: pending.name })}</p>
      <Link class="btn btn-primary wide" href={`/merchant/apply?shop=${pending.id}`} data-testid="wizard-resume-link">
        {t('merchant.wizard.resume', { name: pending.name })}
      </Link>
    </section>
  );
}

function Waiting({ shop, checking }: { shop: Shop; checking: boolean }) {
  if (shop.status === 'rejected')
    return (
      <section class="card stack" data-testid="wizard-rejected">
        <h2>{t('merchant.wizard.rejectedTitle')}</h2>
        <p>{shop.reject_reason ? t('merchant.shops.reason', { reason: shop.reject_reason }) : t('merchant.console.rejected')}</p>
        <Link class="btn btn-primary wide" href="/merchant/apply">
          {t('merchant.wizard.applyAgain')}
        </Link>
      </section>
    );
  return (
    <section class="card stack" data-testid="wizard-waiting" aria-live="polite">
      <h2>{t('merchant.wizard.waitingTitle', { name: shop.name })}</h2>
      <p>{t('merchant.wizard.waitingLead')}</p>
      <h3>{t('merchant.wizard.nextTitle')}</h3>
      <ol class="wiz-next">
        <li>{t('merchant.wizard.next1')}</li>
        <li>{t('merchant.wizard.next2')}</li>
        <li>{t('merchant.wizard.next3')}</li>
      </ol>
      <p class="muted small wiz-checking">
        <span class={checking ? 'spinner small' : 'wiz-pulse'} aria-hidden="true" />
        {t('merchant.wizard.checking')}
      </p>
    </section>
  );
}
