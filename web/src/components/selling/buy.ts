// What every way of buying in the room shares: the attribution to the
// room, the buyer's saved addresses, placing an order and leaving for the
// sandbox pay page, and the funnel events.
import { useEffect, useState } from 'preact/hooks';
import { api, list, newIdempotencyKey, one, selling } from '../../api';
import { anonID } from '../../live/roomsocket';
import { navigate } from '../../router';
import { useSession } from '../../session';
import type { Address, FunnelStep, LiveSession, Order } from '../../types';
import { startPayment } from '../checkout';

/** attribution credits an order to the room: `replay` once the live is over. */
export function attribution(s: LiveSession): { source: 'live' | 'replay'; room_id: string } {
  return { source: s.status === 'replay' || s.status === 'ended' ? 'replay' : 'live', room_id: s.id };
}

/** signInHref comes back to this page after signing in. */
export function signInHref(): string {
  return `/signin?next=${encodeURIComponent(location.pathname + location.search)}`;
}

/** useTrack returns a function that records a funnel step for this viewer (fire and forget). */
export function useTrack(sessionID: string): (step: FunnelStep, productID?: string) => void {
  const me = useSession().me;
  return (step, productID) => selling.funnel(sessionID, step, productID, me.user ? undefined : anonID());
}

export interface Addresses {
  loading: boolean;
  saved: Address[];
  /** The default address (else the first), or undefined when none is saved. */
  preferred: Address | undefined;
  reload: () => void;
}

/** useAddresses loads the signed-in buyer's saved addresses (nothing for anonymous viewers). */
export function useAddresses(signedIn: boolean): Addresses {
  const [saved, setSaved] = useState<Address[]>([]);
  const [loading, setLoading] = useState(signedIn);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (!signedIn) {
      setSaved([]);
      setLoading(false);
      return;
    }
    const ctl = new AbortController();
    setLoading(true);
    list<Address>('/addresses', undefined, ctl.signal).then(
      (p) => {
        setSaved(p.items);
        setLoading(false);
      },
      () => !ctl.signal.aborted && setLoading(false),
    );
    return () => ctl.abort();
  }, [signedIn, tick]);
  return { loading, saved, preferred: saved.find((a) => a.is_default) ?? saved[0], reload: () => setTick((t) => t + 1) };
}

/** saveAddress stores a new address and returns its id. */
export async function saveAddress(a: Address): Promise<string> {
  return one<Address>(await api.post('/addresses', a), 'address').id ?? '';
}

/**
 * placeAndPay places an order (the key makes a retry return the same
 * order) and leaves for the sandbox pay page; if the payment cannot start,
 * the order's page offers to pay again.
 */
export async function placeAndPay(body: Record<string, unknown>, key: string): Promise<void> {
  const order = one<Order>(await api.post('/orders', body, { 'Idempotency-Key': key }), 'order');
  await payOrder(order.id, `${key}-pay`);
}

/** payOrder starts a payment for an existing order and leaves for the pay page. */
export async function payOrder(orderID: string, key = newIdempotencyKey()): Promise<void> {
  try {
    await startPayment(orderID, key);
  } catch {
    navigate(`/orders/${orderID}?pay=failed`);
  }
}

/**
 * keptKey returns the Idempotency-Key for a request that may be retried
 * (kept in sessionStorage, so a reload retries with it too); forgetKey
 * drops it once the request got a definite answer.
 */
export function keptKey(name: string): string {
  const k = `liveshop.key.${name}`;
  try {
    let v = sessionStorage.getItem(k);
    if (!v) {
      v = newIdempotencyKey();
      sessionStorage.setItem(k, v);
    }
    return v;
  } catch {
    return newIdempotencyKey();
  }
}

export function forgetKey(name: string): void {
  try {
    sessionStorage.removeItem(`liveshop.key.${name}`);
  } catch {
    // storage disabled: nothing kept
  }
}
