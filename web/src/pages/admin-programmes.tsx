// Admin: fee programmes and per-shop fee schedules.
import { t } from '../i18n';

export function AdminProgrammes() {
  return <h1>{t('admin.title')}</h1>;
}
