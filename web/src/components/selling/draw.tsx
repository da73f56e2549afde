// A lucky draw: what is won, who may enter, the countdown and the
// commitment to the secret seed; once drawn, the winners with a link to
// the proof, and "Claim prize" for a winner.
import { useState } from 'preact/hooks';
import { selling } from '../../api';
import { shortHash } from '../../live/selling';
import { Link } from '../../router';
import { useSession } from '../../session';
import type { Draw, LiveProduct, Order } from '../../types';
import { Button, FormError, useAction } from '../../ui';
import { signInHref } from './buy';
import { Left, useServerNow } from './time';

/** eligibilityText says who may enter, in the viewer's words. */
export function eligibilityText(d: Draw): string {
  switch (d.eligibility) {
    case 'followers':
      return 'For followers of the shop';
    case 'keyword':
      return d.keyword ? `Send “${d.keyword}” in the chat, then enter` : 'Send the keyword in the chat, then enter';
    case 'buyers':
      return 'For viewers who bought in this live';
    default:
      return 'Anyone signed in can enter';
  }
}

/** prizeText names the prize: its product's title (from the shelf when the draw lacks it). */
export function prizeText(d: Draw, shelf: LiveProduct[]): string {
  const what = d.product_title || shelf.find((p) => p.product_id === d.product_id)?.title || 'a prize';
  return d.quantity > 1 ? `${d.quantity} × ${what}` : what;
}

function enteredKey(id: string): string {
  return `liveshop.draw.${id}`;
}

function wasEntered(id: string): boolean {
  try {
    return sessionStorage.getItem(enteredKey(id)) === '1';
  } catch {
    return false;
  }
}

export function DrawPanel({ d, shelf }: { d: Draw; shelf: LiveProduct[] }) {
  const me = useSession().me;
  const now = useServerNow(500);
  const [entered, setEntered] = useState(() => wasEntered(d.id));
  const [claimed, setClaimed] = useState<Order | null>(null);
  const enter = useAction(async () => {
    await selling.enterDraw(d.id);
    setEntered(true);
    try {
      sessionStorage.setItem(enteredKey(d.id), '1');
    } catch {
      // storage disabled: the button comes back after a reload, entering again is a no-op
    }
  });
  const claim = useAction(async () => setClaimed(await selling.claimPrize(d.id)));
  const winners = d.winners ?? [];
  const mine = me.user ? winners.find((w) => w.user_id === me.user?.id) : undefined;
  const orderID = claimed?.id || mine?.order_id;
  return (
    <section class="draw-panel" data-testid="draw-panel" data-draw-id={d.id} data-status={d.status}>
      <header class="selling-head">
        <span class="selling-tag draw-tag">Lucky draw</span>
        <span class="selling-title grow">{d.title}</span>
        {d.status === 'open' && (
          <span class="muted small">
            draws in <Left iso={d.ends_at} now={now} over="now" testid="draw-left" />
          </span>
        )}
      </header>
      <p class="draw-prize">
        Win <b>{prizeText(d, shelf)}</b>
        {d.winner_count ? ` · ${d.winner_count} winner${d.winner_count === 1 ? '' : 's'}` : ''}
      </p>
      <p class="muted small">
        {d.status === 'open' && `${eligibilityText(d)} · `}
        {d.entrants} entered ·{' '}
        <span class="mono" title={`Commitment: SHA-256 of the secret seed, published before the draw: ${d.commitment}`} data-testid="draw-commitment">
          commitment {shortHash(d.commitment)}
        </span>
      </p>
      {d.status === 'open' && d.eligibility_note && <p class="hint">{d.eligibility_note}</p>}

      {d.status === 'open' &&
        (entered ? (
          <p class="ok-text" data-testid="draw-entered">
            ✓ You are in the draw. Good luck!
          </p>
        ) : me.user ? (
          <Button class="wide" busy={enter.busy} onClick={() => enter.run()} data-testid="draw-enter">
            Enter the draw
          </Button>
        ) : (
          <Link class="btn btn-primary wide" href={signInHref()}>
            Sign in to enter
          </Link>
        ))}

      {d.status === 'drawn' && (
        <>
          <p class="draw-winners" data-testid="draw-winners">
            {winners.length === 0 ? 'Nobody entered.' : <>Winners: {winners.map((w) => (w.user_id === me.user?.id ? 'You' : w.name || 'a viewer') + (w.forfeited ? ' (unclaimed)' : '')).join(', ')}</>}
          </p>
          <p class="small">
            <a href={selling.proofURL(d.id)} target="_blank" rel="noopener" data-testid="draw-verify">
              Verify the draw
            </a>{' '}
            <span class="muted">(the seed, the entrants and the winners: the seed's SHA-256 is the commitment above)</span>
          </p>
          {mine &&
            !mine.forfeited &&
            (orderID ? (
              <p class="ok-text" data-testid="draw-claimed">
                ✓ Prize claimed · <Link href={`/orders/${orderID}`}>See the order</Link>
              </p>
            ) : (
              <Button class="wide" busy={claim.busy} onClick={() => claim.run()} data-testid="draw-claim">
                You won! Claim prize
              </Button>
            ))}
        </>
      )}
      {d.status === 'cancelled' && <p class="muted">This draw was cancelled.</p>}
      <FormError err={enter.error ?? claim.error} />
    </section>
  );
}
