// The console's webhooks: endpoints (the signing secret is shown once, when
// created), their delivery log and redelivery.
import { useState } from 'preact/hooks';
import { api, list, one } from '../../api';
import { dateTime } from '../../format';
import { t } from '../../i18n';
import { type Shop, WEBHOOK_EVENTS, type WebhookDelivery, type WebhookEndpoint } from '../../types';
import { Button, Card, Empty, Field, FormError, Loaded, Notice, StatusBadge, useAction, useAsync, val } from '../../ui';
import { tSlots } from '../../i18n/slots';

export function WebhooksTab({ shop }: { shop: Shop }) {
  const eps = useAsync((signal) => list<WebhookEndpoint>(`/shops/${shop.id}/webhooks`, undefined, signal), [shop.id]);
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState<string[]>([...WEBHOOK_EVENTS]);
  const [secret, setSecret] = useState<{ url: string; secret: string } | null>(null);
  const [open, setOpen] = useState('');
  const create = useAction(async () => {
    const ep = one<WebhookEndpoint>(await api.post(`/shops/${shop.id}/webhooks`, { url: url.trim(), events }), 'webhook');
    setSecret(ep.secret ? { url: ep.url, secret: ep.secret } : null);
    setUrl('');
    eps.reload();
  });
  const remove = useAction(async (ep: WebhookEndpoint) => {
    if (!confirm(t('merchant.webhooks.confirmDelete', { url: ep.url }))) return;
    await api.del(`/webhooks/${ep.id}`);
    eps.reload();
  });
  const toggle = (ev: string) => setEvents(events.includes(ev) ? events.filter((e) => e !== ev) : [...events, ev]);

  return (
    <div class="stack">
      {secret && (
        <Notice onClose={() => setSecret(null)}>
          <p>
            {tSlots('merchant.webhooks.secret', { url: <b>{secret.url}</b> })}
          </p>
          <code class="secret" data-testid="webhook-secret">
            {secret.secret}
          </code>
          <p class="small">
            {tSlots('merchant.webhooks.verify', { signature: <span class="mono">Liveshop-Signature: t=…,v1=HMAC-SHA256(secret, "t.body")</span> })}
          </p>
        </Notice>
      )}
      <Card title={t('merchant.webhooks.endpoints')}>
        <Loaded a={eps}>
          {(pg) =>
            pg.items.length === 0 ? (
              <Empty>{t('merchant.webhooks.none')}</Empty>
            ) : (
              <ul class="plain" data-testid="webhooks">
                {pg.items.map((ep) => (
                  <li key={ep.id} class="endpoint">
                    <div class="endpoint-head">
                      <span class="grow mono small">{ep.url}</span>
                      <StatusBadge status={ep.active ? 'active' : 'ended'} />
                      <Button kind="secondary" class="small" onClick={() => setOpen(open === ep.id ? '' : ep.id)}>
                        {open === ep.id ? t('merchant.webhooks.hideLog') : t('merchant.webhooks.log')}
                      </Button>
                      <Button kind="ghost" class="small" busy={remove.busy} onClick={() => remove.run(ep)}>
                        {t('merchant.delete')}
                      </Button>
                    </div>
                    <p class="muted small">{(ep.events ?? []).join(', ')}</p>
                    {open === ep.id && <Deliveries endpointID={ep.id} />}
                  </li>
                ))}
              </ul>
            )
          }
        </Loaded>
        <FormError err={remove.error} />
      </Card>
      <Card title={t('merchant.webhooks.add')}>
        <form
          class="form"
          onSubmit={(e) => {
            e.preventDefault();
            create.run();
          }}
        >
          <Field label={t('merchant.webhooks.url')} name="url" err={create.error}>
            <input type="url" required placeholder="https://example.com/liveshop" value={url} onInput={(e) => setUrl(val(e))} data-testid="webhook-url" />
          </Field>
          <fieldset class="field">
            <legend class="field-label">{t('merchant.webhooks.events')}</legend>
            <div class="checks">
              {WEBHOOK_EVENTS.map((ev) => (
                <label key={ev} class="check">
                  <input type="checkbox" checked={events.includes(ev)} onChange={() => toggle(ev)} />
                  <span class="mono small">{ev}</span>
                </label>
              ))}
            </div>
          </fieldset>
          <FormError err={create.error} fields={['url']} />
          <Button type="submit" busy={create.busy} data-testid="webhook-submit">
            {t('merchant.webhooks.submit')}
          </Button>
        </form>
      </Card>
    </div>
  );
}

function Deliveries({ endpointID }: { endpointID: string }) {
  const a = useAsync((signal) => list<WebhookDelivery>(`/webhooks/${endpointID}/deliveries`, { limit: 50 }, signal), [endpointID]);
  const redeliver = useAction(async (id: string) => {
    await api.post(`/webhook-deliveries/${id}/redeliver`);
    a.reload();
  });
  return (
    <Loaded a={a}>
      {(pg) =>
        pg.items.length === 0 ? (
          <p class="muted small">{t('merchant.webhooks.nothingSent')}</p>
        ) : (
          <div class="tablewrap">
            <table class="table" data-testid="deliveries">
              <thead>
                <tr>
                  <th>{t('merchant.webhooks.event')}</th>
                  <th>{t('merchant.webhooks.status')}</th>
                  <th class="num">{t('merchant.webhooks.attempts')}</th>
                  <th>{t('merchant.webhooks.lastAnswer')}</th>
                  <th>{t('merchant.webhooks.created')}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {pg.items.map((d) => (
                  <tr key={d.id}>
                    <td class="mono small">{d.event_type}</td>
                    <td>
                      <StatusBadge status={d.status} />
                    </td>
                    <td class="num">{d.attempts}</td>
                    <td class="small">
                      {d.last_status_code ? `HTTP ${d.last_status_code}` : ''}
                      {d.last_error ? ` ${d.last_error}` : ''}
                      {d.status === 'pending' && d.attempts > 0 ? <div class="muted">{t('merchant.webhooks.nextTry', { time: dateTime(d.next_attempt_at) })}</div> : null}
                    </td>
                    <td class="small nowrap">{dateTime(d.created_at)}</td>
                    <td>
                      {d.status !== 'pending' && (
                        <button class="link" onClick={() => redeliver.run(d.id)}>
                          {t('merchant.webhooks.redeliver')}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
            <FormError err={redeliver.error} />
          </div>
        )
      }
    </Loaded>
  );
}
