// Admin: the platform's moderation queue of reported chat messages, from
// every room, newest first. Each report is dismissed, or its message is
// deleted (the room's own audited delete), optionally banning its author
// from that room. A resolved report leaves the queue.
import { useState } from 'preact/hooks';
import { api } from '../api';
import { PagedList } from '../components/paged';
import { dateTime } from '../format';
import { t } from '../i18n';
import type { ChatMessage } from '../live/protocol';
import { Link } from '../router';
import { Button, FormError, useAction, useTitle } from '../ui';
import { AdminArea } from './admin-tabs';

interface Resolution {
  action: 'dismiss' | 'delete';
  banned: boolean;
  by: string;
  at: string;
}

interface QueuedReport {
  id: string;
  session_id: string;
  session_title?: string;
  message_id: string;
  message?: ChatMessage | null;
  message_deleted: boolean;
  reporter_id: string;
  reporter_name?: string;
  reason: string;
  created_at: string;
  resolution?: Resolution | null;
}

function resolvedText(r: Resolution): string {
  if (r.action === 'dismiss') return t('admin.mod.resolved.dismiss');
  return r.banned ? t('admin.mod.resolved.deleteBan') : t('admin.mod.resolved.delete');
}

function ReportCard({ report }: { report: QueuedReport }) {
  const [done, setDone] = useState<Resolution | null>(null);
  const [ban, setBan] = useState(false);
  const act = useAction(async (action: 'dismiss' | 'delete') => {
    const res = await api.post<QueuedReport>(`/admin/reports/${report.id}/resolve`, { action, ban: action === 'delete' && ban });
    setDone(res.resolution ?? { action, banned: ban, by: '', at: '' });
  });
  const author = report.message?.name ?? '';
  const headingID = `report-${report.id}`;
  if (done)
    return (
      <li class="card" data-testid="report-resolved" data-report-id={report.id} role="status">
        <p>{resolvedText(done)}</p>
      </li>
    );
  return (
    <li class="card" data-testid="queued-report" data-report-id={report.id} data-message-id={report.message_id} aria-labelledby={headingID}>
      <h3 id={headingID} class="small">
        {t('admin.mod.author', { name: author })}
      </h3>
      <blockquote class="admin-quote" data-testid="reported-text">
        {report.message?.text ?? ''}
      </blockquote>
      {report.message_deleted && <p class="muted small">{t('admin.mod.alreadyDeleted')}</p>}
      <p class="small">
        <Link href={`/live/${report.session_id}`}>{t('admin.mod.room', { title: report.session_title || report.session_id })}</Link>
      </p>
      <p class="small">{report.reason ? t('admin.mod.reason', { reason: report.reason }) : <span class="muted">{t('admin.mod.noReason')}</span>}</p>
      <p class="muted small">{t('admin.mod.reportedBy', { name: report.reporter_name || report.reporter_id, date: dateTime(report.created_at) })}</p>
      {!report.message_deleted && (
        <label class="admin-check">
          <input type="checkbox" checked={ban} onChange={(e) => setBan((e.currentTarget as HTMLInputElement).checked)} data-testid="report-ban" />
          {t('admin.mod.ban', { name: author })}
        </label>
      )}
      <div class="actions">
        <Button kind="secondary" busy={act.busy} disabled={ban} onClick={() => act.run('dismiss')} data-testid="report-dismiss">
          {t('admin.mod.dismiss')}
        </Button>
        <Button kind="danger" busy={act.busy} onClick={() => act.run('delete')} data-testid="report-delete">
          {t('admin.mod.delete')}
        </Button>
      </div>
      <FormError err={act.error} />
    </li>
  );
}

export function AdminModeration() {
  useTitle(t('admin.mod.title'));
  const [nonce, setNonce] = useState(0);
  return (
    <AdminArea current="moderation">
      <div class="page-head">
        <h1>{t('admin.mod.title')}</h1>
        <Button kind="secondary" onClick={() => setNonce((n) => n + 1)} data-testid="queue-refresh">
          {t('admin.refresh')}
        </Button>
      </div>
      <p class="admin-lead">{t('admin.mod.lead')}</p>
      <PagedList<QueuedReport>
        path="/admin/reports"
        query={{}}
        nonce={nonce}
        testid="report-queue"
        empty={t('admin.mod.empty')}
        render={(r) => <ReportCard key={r.id} report={r} />}
      />
    </AdminArea>
  );
}
