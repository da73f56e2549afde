// The studio's moderation log (who was muted, banned, or had a line
// deleted, by whom) and the chat lines viewers reported. Both reload on
// the room's moderation events and every little while.
import { room } from '../../api';
import type { ChatMessage, Envelope } from '../../live/protocol';
import type { RoomSocket } from '../../live/roomsocket';
import { useRoomEvents } from '../../live/useroom';
import { locale, t } from '../../i18n';
import type { MessageKey } from '../../i18n/messages';
import { Button, Card, FormError, Loaded, useAsync, usePoll } from '../../ui';
import { ModActions, useModeration } from './studio-moderation';

const REPORTS_MS = 15_000;
const REFRESH_ON = new Set(['moderation', 'chat.deleted']);

const ACTIONS = new Set(['mute', 'unmute', 'ban', 'unban', 'delete', 'delete_chat', 'slow_mode']);

/** actionLabel names a logged action in the current language; an unknown one shows as the server sent it. */
function actionLabel(action: string): string {
  return ACTIONS.has(action) ? t(`studio.modlog.action.${action}` as MessageKey) : action;
}

function time(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString(locale(), { hour: '2-digit', minute: '2-digit' });
}

/**
 * ModerationLog lists the audit log; names comes from the chat on screen
 * when the log only has user ids. nonce reloads it after the page's own actions.
 */
export function ModerationLog({ sessionID, sock, nonce, names }: { sessionID: string; sock: RoomSocket | null; nonce: number; names: Map<string, string> }) {
  const log = useAsync((signal) => room.moderationLog(sessionID, signal), [sessionID, nonce]);
  const reports = useAsync((signal) => room.reports(sessionID, signal), [sessionID, nonce]);
  useRoomEvents(sock, (e: Envelope) => {
    if (REFRESH_ON.has(e.type)) log.reload();
  });
  usePoll(reports.reload, REPORTS_MS, true);
  const mod = useModeration(sessionID, sock, () => {
    log.reload();
    reports.reload();
  });
  const who = (id?: string, name?: string) => name || (id ? (names.get(id) ?? id) : '');

  return (
    <Card title={t('studio.modlog.title')}>
      <h3 class="sub-title">{t('studio.modlog.reports')}</h3>
      <Loaded a={reports}>
        {(pg) =>
          pg.items.length === 0 ? (
            <p class="muted small">{t('studio.modlog.noReports')}</p>
          ) : (
            <ul class="mod-list" data-testid="reports">
              {pg.items.map((r) => {
                const m: ChatMessage | null = r.message ?? null;
                return (
                  <li key={r.id} class="mod-row" data-testid="report">
                    <div class="grow">
                      <b>{m ? m.name : t('studio.modlog.aMessage')}</b>: {m?.text ?? r.text ?? r.message_id}
                      {r.message_deleted && <span class="muted small"> {t('studio.modlog.deleted')}</span>}
                      <div class="muted small">
                        {r.reason || t('studio.modlog.reported')} · {time(r.created_at)}
                        {r.reporter_name ? ` · ${t('studio.modlog.reportedBy', { name: r.reporter_name })}` : ''}
                      </div>
                    </div>
                    {m && !r.message_deleted && (
                      <span class="chat-actions">
                        <ModActions m={m} mod={mod} />
                      </span>
                    )}
                  </li>
                );
              })}
            </ul>
          )
        }
      </Loaded>
      <h3 class="sub-title">{t('studio.modlog.log')}</h3>
      <FormError err={mod.error} />
      <Loaded a={log}>
        {(pg) =>
          pg.items.length === 0 ? (
            <p class="muted small">{t('studio.modlog.empty')}</p>
          ) : (
            <ul class="mod-list" data-testid="mod-log">
              {pg.items.map((a) => (
                <li key={a.id} class="mod-row" data-testid="mod-log-entry" data-action={a.action}>
                  <div class="grow">
                    <b>{actionLabel(a.action)}</b> {a.action === 'slow_mode' ? t('studio.modlog.seconds', { n: a.slow_mode_seconds ?? 0 }) : who(a.user_id, a.user_name)}
                    {a.action === 'mute' && a.until ? ` ${t('studio.modlog.until', { time: time(a.until) })}` : ''}
                    <div class="muted small">
                      {time(a.created_at)}
                      {a.by || a.by_name ? ` · ${t('studio.modlog.by', { name: a.by_name || a.by || '' })}` : ''}
                      {a.reason ? ` · ${a.reason}` : ''}
                    </div>
                  </div>
                  {(a.action === 'mute' || a.action === 'ban') && a.user_id && (
                    <Button kind="ghost" class="small" disabled={mod.busy} onClick={() => mod.act.run(a.action === 'mute' ? 'unmute' : 'unban', a.user_id!)} data-testid={a.action === 'mute' ? 'mod-unmute' : 'mod-unban'}>
                      {a.action === 'mute' ? t('studio.modlog.unmute') : t('studio.modlog.unban')}
                    </Button>
                  )}
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
    </Card>
  );
}
