// Merchant onboarding: the wizard's entry (/merchant/apply), and the list of
// my shops with their review status.
import { list } from '../../api';
import { dateTime, percent } from '../../format';
import { t } from '../../i18n';
import { Link } from '../../router';
import type { Shop } from '../../types';
import { Empty, Loaded, StatusBadge, useAsync, useTitle } from '../../ui';
import { categoryLabel, programmeOf } from './text';

export function feeText(bps: number): string {
  return t('merchant.programme.fee', { pct: percent(bps) });
}

/**
 * ApplyShop is /merchant/apply: the onboarding wizard (wizard.tsx), which
 * also resumes an application in progress (?shop=ID). It is loaded on
 * demand: buyers, the most of the app's visitors, never download it.
 */
export function ApplyShop() {
  const w = useAsync(() => import('./wizard'), []);
  return <Loaded a={w}>{(m) => <m.OnboardingWizard />}</Loaded>;
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
        {sh.status === 'pending' && (
          <p class="muted small">
            {t('merchant.shops.waiting')}{' '}
            <Link href={`/merchant/apply?shop=${sh.id}`} data-testid="continue-setup">
              {t('merchant.wizard.seeProgress')}
            </Link>
          </p>
        )}
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
