// The merchant's shop console: one page with tabs for products, orders,
// sales, live sessions, imports, staff and webhooks.
import { api, one } from '../../api';
import { label } from '../../format';
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

const TABS: [string, string, boolean][] = [
  // id, label, owner only
  ['products', 'Products', false],
  ['new', 'Add product', false],
  ['orders', 'Orders', false],
  ['sales', 'Sales', false],
  ['report', 'Report', false],
  ['live', 'Live', false],
  ['import', 'Import', false],
  ['staff', 'Staff', true],
  ['webhooks', 'Webhooks', true],
];

export function ShopConsole({ params }: { params: Record<string, string> }) {
  const s = useSession();
  const { query } = useLocation();
  const shop = useAsync(async (signal) => one<Shop>(await api.get(`/shops/${params.id}`, undefined, signal), 'shop'), [params.id]);
  useTitle(shop.data ? `${shop.data.name} · console` : 'Shop console');
  const role = shopRole(s.me, params.id);
  const owner = role === 'owner' || !!s.me.user?.is_admin;
  const tabs = TABS.filter(([, , ownerOnly]) => owner || !ownerOnly);
  const tab = tabs.some(([id]) => id === query.get('tab')) ? (query.get('tab') as string) : 'products';

  return (
    <Loaded a={shop}>
      {(sh) =>
        !role && !s.me.user?.is_admin ? (
          <Empty>You are not a member of this shop.</Empty>
        ) : (
          <div class="console">
            <div class="page-head">
              <div class="grow">
                <p class="muted small">
                  <Link href="/merchant/shops">My shops</Link> ›
                </p>
                <h1 data-testid="console-shop-name">{sh.name}</h1>
                <p class="muted small">
                  {label(sh.category)} · {label(sh.programme)} programme · you are {role || 'admin'}
                </p>
              </div>
              <StatusBadge status={sh.status} />
              {sh.status === 'approved' && (
                <Link class="btn btn-secondary small" href={`/shops/${sh.id}`}>
                  View shop
                </Link>
              )}
            </div>
            {sh.status !== 'approved' && (
              <p class="notice">
                {sh.status === 'pending' ? 'This shop is waiting for review; products can be sold once it is approved.' : `This shop was rejected${sh.reject_reason ? `: ${sh.reject_reason}` : '.'}`}
              </p>
            )}
            <div class="tabs" role="tablist">
              {tabs.map(([id, text]) => (
                <button
                  key={id}
                  role="tab"
                  aria-selected={tab === id}
                  class={tab === id ? 'tab active' : 'tab'}
                  data-testid={`tab-${id}`}
                  onClick={() => setQuery({ tab: id === 'products' ? null : id })}
                >
                  {text}
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
