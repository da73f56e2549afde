// The merchant's shop console: one page with tabs for products, orders,
// sales, live sessions, imports, staff and webhooks.
import { api, one } from '../../api';
import { t } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { Link, setQuery, useLocation } from '../../router';
import { shopRole, useSession } from '../../session';
import type { Shop } from '../../types';
import { Empty, Loaded, StatusBadge, useAsync, useTitle } from '../../ui';
import { ImportsTab } from './imports';
import { LiveTab } from './live';
import { OrdersTab } from './orders';
import { SalesTab } from './sales';
import { ShopReportTab } from '../reports';
import { NewProductForm } from './product-form';
import { ProductsTab } from './products';
import { StaffTab } from './staff';
import { WebhooksTab } from './webhooks';
import { categoryLabel, programmeOf } from './text';
import '../../styles/merchant-console.css';

const TABS: [string, MessageKey, boolean][] = [
  // id, label (translated at render time), owner only
  ['products', 'merchant.tab.products', false],
  ['new', 'merchant.tab.new', false],
  ['orders', 'merchant.tab.orders', false],
  ['sales', 'merchant.tab.sales', false],
  ['report', 'merchant.tab.report', false],
  ['live', 'merchant.tab.live', false],
  ['import', 'merchant.tab.import', false],
  ['staff', 'merchant.tab.staff', true],
  ['webhooks', 'merchant.tab.webhooks', true],
];

/** youAre reads "you are owner" for the viewer's role in the shop. */
function youAre(role: string): string {
  if (role === '' || role === 'admin') return t('merchant.console.youAre.admin');
  if (role === 'owner') return t('merchant.console.youAre.owner');
  if (role === 'staff') return t('merchant.console.youAre.staff');
  return t('merchant.console.youAre', { role });
}

export function ShopConsole({ params }: { params: Record<string, string> }) {
  const s = useSession();
  const { query } = useLocation();
  const shop = useAsync(async (signal) => one<Shop>(await api.get(`/shops/${params.id}`, undefined, signal), 'shop'), [params.id]);
  useTitle(shop.data ? t('merchant.console.pageTitle', { name: shop.data.name }) : t('merchant.console.title'));
  const role = shopRole(s.me, params.id);
  const owner = role === 'owner' || !!s.me.user?.is_admin;
  const tabs = TABS.filter(([, , ownerOnly]) => owner || !ownerOnly);
  const tab = tabs.some(([id]) => id === query.get('tab')) ? (query.get('tab') as string) : 'products';

  return (
    <Loaded a={shop}>
      {(sh) =>
        !role && !s.me.user?.is_admin ? (
          <Empty>{t('merchant.console.notMember')}</Empty>
        ) : (
          <div class="console" data-section={tab}>
            <div class="page-head">
              <div class="grow">
                <p class="muted small">
                  <Link href="/merchant/shops">{t('merchant.shops.title')}</Link> ›
                </p>
                <h1 data-testid="console-shop-name">{sh.name}</h1>
                <p class="muted small">
                  {categoryLabel(sh.category)} · {programmeOf(sh.programme)} · {youAre(role)}
                </p>
              </div>
              <StatusBadge status={sh.status} />
              {sh.status === 'approved' && (
                <Link class="btn btn-secondary small" href={`/shops/${sh.id}`}>
                  {t('merchant.console.viewShop')}
                </Link>
              )}
            </div>
            {sh.status !== 'approved' && (
              <p class="notice">
                {sh.status === 'pending'
                  ? t('merchant.console.pending')
                  : sh.reject_reason
                    ? t('merchant.console.rejectedReason', { reason: sh.reject_reason })
                    : t('merchant.console.rejected')}
              </p>
            )}
            <div class="tabs console-tabs" role="tablist" aria-label={t('merchant.console.sections')}>
              {tabs.map(([id, key]) => (
                <button
                  key={id}
                  role="tab"
                  aria-selected={tab === id}
                  class={tab === id ? 'tab active' : 'tab'}
                  data-testid={`tab-${id}`}
                  onClick={() => setQuery({ tab: id === 'products' ? null : id })}
                >
                  {t(key)}
                </button>
              ))}
            </div>
            {tab === 'products' && <ProductsTab shop={sh} />}
            {tab === 'new' && <NewProductForm shop={sh} />}
            {tab === 'orders' && <OrdersTab shop={sh} />}
            {tab === 'sales' && <SalesTab shop={sh} />}
            {tab === 'report' && <ShopReportTab shop={sh} />}
            {tab === 'live' && <LiveTab shop={sh} />}
            {tab === 'import' && <ImportsTab shop={sh} />}
            {tab === 'staff' && <StaffTab shop={sh} />}
            {tab === 'webhooks' && <WebhooksTab shop={sh} />}
          </div>
        )
      }
    </Loaded>
  );
}
