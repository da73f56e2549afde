// Admin: the platform's moderation queue of reported chat messages.
import { t } from '../i18n';

export function AdminModeration() {
  return <h1>{t('admin.title')}</h1>;
}
