// The preview of a scheduled session in its room: when it starts, a
// countdown, the products to be shown and "Remind me".
import { dateTime } from '../format';
import { t } from '../i18n';
import { Link } from '../router';
import type { LiveSession } from '../types';
import { Card, Price, Thumb } from '../ui';

import { Countdown, coverImage, imageThumb, shelf } from './live';
import { RemindButton } from './remind';
import '../styles/social.css';
import { fillSlots } from '../i18n/slots';

export function SessionPreview({ s }: { s: LiveSession }) {
  if (s.status !== 'scheduled') return null;
  const products = shelf(s);
  const cover = coverImage(s);
  return (
    <Card title={t('discover.preview.title')}>
      <div class="preview" data-testid="session-preview">
        {cover && <img class="scard-img" src={imageThumb(cover)} alt="" />}
        <div class="preview-countdown">
          <Countdown iso={s.planned_start} />
        </div>
        <div class="muted small">{t('discover.preview.planned', { when: dateTime(s.planned_start) })}</div>
        <RemindButton sessionID={s.id} />
        {products.length > 0 && (
          <>
            <h3 class="section-title">{t('discover.preview.toBeShown')}</h3>
            <div class="preview-products" data-testid="preview-products">
              {products.map((p) => (
                <Link key={p.product_id} href={`/products/${p.product_id}`} class="preview-product">
                  <Thumb src={imageThumb(p.image_id)} alt={p.title} size="md" />
                  <span class="block">{p.title}</span>
                  <Price minor={p.price_minor} currency={p.currency} />
                </Link>
              ))}
            </div>
          </>
        )}
        <p class="muted small">
          {fillSlots(t('discover.preview.more'), { link: <Link href="/schedule">{t('discover.preview.schedule')}</Link> })}
        </p>
      </div>
    </Card>
  );
}
