// The vertical watch feed: one live room per screen, swiped through.
import { t } from '../i18n';
import { useTitle } from '../ui';

export function WatchFeed() {
  useTitle(t('watch.title'));
  return <h1>{t('watch.title')}</h1>;
}
