// The studio's moderation log (who was muted, banned, or had a line
// deleted, by whom) and the chat lines viewers reported. Both reload on
// the room's moderation events and every little while.
import { room } from '../../api';
import type { ChatMessage, Envelope } from '../../live/protocol';
import type { RoomSocket } from '../../live/roomsocket';
import { useRoomEvents } from '../../live/useroom';
import { Button, Card, FormError, Loaded, useAsync, usePoll } from '../../ui';
import { ModActions, useModeration } from './studio-moderation';

const REPORTS_MS = 15_000;
const REFRESH_ON = new Set(['moderation', 'chat.deleted']);

const ACTION_LABELS: Record<string, string> = {
  mute: 'Muted',
  unmute: 'Unmuted',
  ban: 'Banned',
  unban: 'Unbanned',
  delete: 'Deleted a message of',
  delete_chat: 'Deleted a message of',
  slow_mode: 'Slow mode',
};

function time(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? '' : d.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
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
    <Card title="Moderation">
      <h3 class="sub-title">Reported messages</h3>
      <Loaded a={reports}>
        {(pg) =>
          pg.items.length === 0 ? (
            <p class="muted small">No reports.</p>
          ) : (
            <ul class="mod-list" data-testid="reports">
              {pg.items.map((r) => {
                const m: ChatMessage | null = r.message ?? null;
                return (
                  <li key={r.id} class="mod-row" data-testid="report">
                    <div class="grow">
                      <b>{m ? m.name : 'A message'}</b>: {m?.text ?? r.text ?? r.message_id}
                      {r.message_deleted && <span class="muted small"> (deleted)</span>}
                      <div class="muted small">
                        {r.reason || 'reported'} · {time(r.created_at)}
                        {r.reporter_name ? ` · by ${r.reporter_name}` : ''}
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
      <h3 class="sub-title">Log</h3>
      <FormError err={mod.error} />
      <Loaded a={log}>
        {(pg) =>
          pg.items.length === 0 ? (
            <p class="muted small">Nothing yet.</p>
          ) : (
            <ul class="mod-list" data-testid="mod-log">
              {pg.items.map((a) => (
                <li key={a.id} class="mod-row" data-testid="mod-log-entry" data-action={a.action}>
                  <div class="grow">
                    <b>{ACTION_LABELS[a.action] ?? a.action}</b> {a.action === 'slow_mode' ? `${a.slow_mode_seconds ?? 0} s` : who(a.user_id, a.user_name)}
                    {a.action === 'mute' && a.until ? ` until ${time(a.until)}` : ''}
                    <div class="muted small">
                      {time(a.created_at)}
                      {a.by || a.by_name ? ` · by ${a.by_name || a.by}` : ''}
                      {a.reason ? ` · ${a.reason}` : ''}
                    </div>
                  </div>
                  {(a.action === 'mute' || a.action === 'ban') && a.user_id && (
                    <Button kind="ghost" class="small" disabled={mod.busy} onClick={() => mod.act.run(a.action === 'mute' ? 'unmute' : 'unban', a.user_id!)} data-testid={a.action === 'mute' ? 'mod-unmute' : 'mod-unban'}>
                      {a.action === 'mute' ? 'Unmute' : 'Unban'}
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
