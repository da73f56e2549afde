// "Buy now": pick or enter a shipping address, place the order with an
// Idempotency-Key, start a sandbox payment and go to its hosted pay page.
import { useRef, useState } from 'preact/hooks';
import { api, list, newIdempotencyKey, one } from '../api';
import { money } from '../format';
import { t } from '../i18n';
import type { MessageKey } from '../i18n/messages';
import { navigate } from '../router';
import type { Address, Order, Payment, SKU } from '../types';
import { Button, Field, FormError, Spinner, useAction, useAsync, val } from '../ui';

// Field, the key of its label (translated when the form renders), and
// its autocomplete hint.
const ADDRESS_FIELDS: [keyof Address, MessageKey, string][] = [
  ['name', 'viewer.address.name', 'name'],
  ['phone', 'viewer.address.phone', 'tel'],
  ['line1', 'viewer.address.line1', 'address-line1'],
  ['line2', 'viewer.address.line2', 'address-line2'],
  ['city', 'viewer.address.city', 'address-level2'],
  ['region', 'viewer.address.region', 'address-level1'],
  ['postcode', 'viewer.address.postcode', 'postal-code'],
];

/** The fields an address must have (the server checks them too), with their labels. */
export const REQUIRED_ADDRESS: [keyof Address, MessageKey][] = ADDRESS_FIELDS.filter(([k]) => ['name', 'phone', 'line1', 'city', 'region'].includes(k)).map(([k, l]) => [k, l]);

const emptyAddress: Address = { name: '', phone: '', line1: '', line2: '', city: '', region: '', postcode: '', country: 'CN' };

export function AddressForm({ value, onChange, err, prefix = 'address.' }: { value: Address; onChange: (a: Address) => void; err: unknown; prefix?: string }) {
  return (
    <div class="address-form">
      {ADDRESS_FIELDS.map(([k, text, ac]) => (
        <Field key={k} label={t(text)} name={prefix + k} err={err}>
          <input
            name={k}
            autocomplete={ac}
            data-testid={`address-${k}`}
            value={(value[k] as string) ?? ''}
            onInput={(e) => onChange({ ...value, [k]: val(e) })}
          />
        </Field>
      ))}
    </div>
  );
}

export const addressFieldNames = (prefix = 'address.') => ADDRESS_FIELDS.map(([k]) => prefix + k);

export function addressLine(a: Address): string {
  return [a.name, a.phone, a.line1, a.line2, a.city, a.region, a.postcode].filter(Boolean).join(', ');
}

/** startPayment creates a sandbox payment and leaves for its pay page. */
export async function startPayment(orderID: string, key: string): Promise<void> {
  const p = one<Payment>(await api.post(`/orders/${orderID}/payments`, { provider: 'sandbox' }, { 'Idempotency-Key': key }), 'payment');
  if (p.pay_url) navigate(p.pay_url);
  else navigate(`/orders/${orderID}`);
}

/** CartTotal describes a whole cart being checked out. */
export interface CartTotal {
  items: number;
  total_minor: number;
  currency: string;
}

/**
 * Checkout buys either one SKU ("Buy now") or the whole cart, which the
 * server splits into one order per shop.
 */
export function Checkout({ sku, quantity = 1, cart, onCancel }: { sku?: SKU; quantity?: number; cart?: CartTotal; onCancel: () => void }) {
  const addrs = useAsync((signal) => list<Address>('/addresses', undefined, signal), []);
  const [choice, setChoice] = useState<string>(''); // saved address id, or "" for a new one
  const [addr, setAddr] = useState<Address>(emptyAddress);
  const [save, setSave] = useState(true);
  // One key per distinct request body, so a retry after a network error
  // returns the first order instead of placing a second one.
  const attempt = useRef<{ body: string; key: string } | null>(null);

  const saved = addrs.data?.items ?? [];
  const selected = choice || (saved.find((a) => a.is_default) ?? saved[0])?.id || '';
  const useNew = saved.length === 0 || selected === 'new';

  const act = useAction(async () => {
    let addressID = useNew ? '' : selected;
    if (useNew && save) {
      const created = one<Address>(await api.post('/addresses', addr), 'address');
      addressID = created.id ?? '';
      setChoice(addressID);
      addrs.reload();
    }
    const body: Record<string, unknown> = cart ? {} : { items: [{ sku_id: sku?.id, quantity }], attribution: { source: 'shop' } };
    if (addressID) body.address_id = addressID;
    else body.address = addr;
    const text = JSON.stringify(body);
    if (!attempt.current || attempt.current.body !== text) attempt.current = { body: text, key: newIdempotencyKey() };
    let order: Order;
    if (cart) {
      const res = await api.post<{ orders: Order[] }>('/cart/checkout', body, { 'Idempotency-Key': attempt.current.key });
      if (res.orders.length !== 1) {
        // One order per shop: each is paid from the orders page.
        navigate('/orders?status=pending_payment');
        return;
      }
      order = res.orders[0];
    } else {
      order = one<Order>(await api.post('/orders', body, { 'Idempotency-Key': attempt.current.key }), 'order');
    }
    try {
      await startPayment(order.id, `${attempt.current.key}-pay`);
    } catch {
      // The order exists; its page offers to pay again.
      navigate(`/orders/${order.id}?pay=failed`);
    }
  });

  if (addrs.loading && !addrs.data) return <Spinner />;
  const fields = useNew ? addressFieldNames() : [];
  return (
    <form
      class="checkout"
      data-testid="checkout-form"
      onSubmit={(e) => {
        e.preventDefault();
        act.run();
      }}
    >
      <h3>{t('viewer.checkout.shipTo')}</h3>
      {saved.length > 0 && (
        <div class="choices">
          {saved.map((a) => (
            <label key={a.id} class="choice">
              <input type="radio" name="address" checked={selected === a.id} onChange={() => setChoice(a.id ?? '')} />
              <span>{addressLine(a)}</span>
            </label>
          ))}
          <label class="choice">
            <input type="radio" name="address" checked={selected === 'new'} onChange={() => setChoice('new')} data-testid="address-new" />
            <span>{t('viewer.checkout.newAddress')}</span>
          </label>
        </div>
      )}
      {useNew && (
        <>
          <AddressForm value={addr} onChange={setAddr} err={act.error} />
          <label class="check">
            <input type="checkbox" checked={save} onChange={(e) => setSave((e.currentTarget as HTMLInputElement).checked)} />
            {t('viewer.checkout.saveAddress')}
          </label>
        </>
      )}
      <div class="checkout-total">
        {cart ? (
          <span>{t(cart.items === 1 ? 'viewer.checkout.cartItems.one' : 'viewer.checkout.cartItems.other', { n: cart.items })}</span>
        ) : (
          <span>
            {quantity} × {money(sku?.price_minor ?? 0, sku?.currency)}
          </span>
        )}
        <b data-testid="checkout-total">{cart ? money(cart.total_minor, cart.currency) : money((sku?.price_minor ?? 0) * quantity, sku?.currency)}</b>
      </div>
      <FormError err={act.error} fields={fields} />
      <div class="row">
        <Button type="button" kind="ghost" onClick={onCancel}>
          {t('viewer.checkout.back')}
        </Button>
        <Button type="submit" busy={act.busy} class="grow" data-testid="place-order">
          {t('viewer.checkout.placeOrder')}
        </Button>
      </div>
      <p class="hint">{t('viewer.checkout.sandboxHint')}</p>
    </form>
  );
}
