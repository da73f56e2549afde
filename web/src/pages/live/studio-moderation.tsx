// The studio's chat moderation: the live chat with Delete / Mute 10 min /
// Ban on every viewer's line, slow mode, and a message box for the host.
// The moderation log and viewers' reports are in studio-modlog.tsx.
import { useState } from 'preact/hooks';
import { room } from '../../api';
import { ChatInput, ChatLines } from '../../components/room-chat';
import type { ChatMessage } from '../../live/protocol';
import type { RoomSocket } from '../../live/roomsocket';
import type { RoomState } from '../../live/roomstate';
import { t } from '../../i18n';
import { Button, Card, FormError, useAction } from '../../ui';

export const SLOW_MODES = [0, 5, 10, 30, 60];
export const MUTE_MINUTES = 10;

/** isStaff tells lines by the host or the shop's people, which are not moderated here. */
export function isStaff(role: string): boolean {
  return role === 'host' || role === 'operator' || role === 'admin';
}

/**
 * useModeration wraps the moderation calls; onDone runs after each so the
 * log can reload.
 */
export function useModeration(sessionID: string, sock: RoomSocket | null, onDone: () => void) {
  const del = useAction(async (m: ChatMessage) => {
    await room.deleteChat(sessionID, m.id);
    sock?.applyLocal('chat.deleted', { id: m.id });
    onDone();
  });
  const act = useAction(async (action: 'mute' | 'unmute' | 'ban' | 'unban', userID: string) => {
    await room.moderate(sessionID, { action, user_id: userID, minutes: action === 'mute' ? MUTE_MINUTES : undefined });
    onDone();
  });
  return { del, act, busy: del.busy || act.busy, error: del.error ?? act.error };
}

export function ModActions({ m, mod }: { m: ChatMessage; mod: ReturnType<typeof useModeration> }) {
  return (
    <>
      <Button kind="ghost" class="small" disabled={mod.busy} onClick={() => mod.del.run(m)} title={t('studio.mod.deleteTitle')} data-testid="mod-delete">
        {t('studio.mod.delete')}
      </Button>
      {!isStaff(m.role) && (
        <>
          <Button kind="secondary" class="small" disabled={mod.busy} onClick={() => mod.act.run('mute', m.user_id)} title={t('studio.mod.muteTitle', { name: m.name, n: MUTE_MINUTES })} data-testid="mod-mute">
            {t('studio.mod.mute', { n: MUTE_MINUTES })}
          </Button>
          <Button kind="danger" class="small" disabled={mod.busy} onClick={() => mod.act.run('ban', m.user_id)} title={t('studio.mod.banTitle', { name: m.name })} data-testid="mod-ban">
            {t('studio.mod.ban')}
          </Button>
        </>
      )}
    </>
  );
}

function SlowMode({ sessionID, seconds, disabled }: { sessionID: string; seconds: number; disabled: boolean }) {
  const [chosen, setChosen] = useState<number | null>(null);
  const set = useAction(async (s: number) => {
    setChosen(s);
    try {
      await room.slowMode(sessionID, s);
    } catch (e) {
      setChosen(null);
      throw e;
    }
  });
  // The socket's moderation event is the truth; until it arrives, show the choice.
  const value = chosen !== null && set.busy ? chosen : seconds;
  const options = SLOW_MODES.includes(value) ? SLOW_MODES : [...SLOW_MODES, value].sort((a, b) => a - b);
  return (
    <label class="slow-mode">
      <span class="field-label">{t('studio.mod.slowMode')}</span>
      <select value={String(value)} disabled={disabled || set.busy} onChange={(e) => set.run(Number((e.currentTarget as HTMLSelectElement).value))} data-testid="slow-mode">
        {options.map((s) => (
          <option key={s} value={String(s)}>
            {s === 0 ? t('studio.mod.slowOff') : t('studio.mod.slowEvery', { n: s })}
          </option>
        ))}
      </select>
      <FormError err={set.error} />
    </label>
  );
}

export function ModerationPanel({ sessionID, st, sock, onChange }: { sessionID: string; st: RoomState; sock: RoomSocket | null; onChange: () => void }) {
  const mod = useModeration(sessionID, sock, onChange);
  const live = st.session?.status === 'live';
  return (
    <Card title={t('studio.mod.chatTitle')} actions={<SlowMode sessionID={sessionID} seconds={st.slowModeSeconds} disabled={st.connection !== 'open'} />}>
      <div class="chat-panel studio-chat" data-testid="studio-chat">
        <ChatLines lines={st.chat} mode="panel" actions={(m) => <ModActions m={m} mod={mod} />} empty={live ? t('studio.mod.noMessages') : t('studio.mod.chatClosed')} />
        <FormError err={mod.error} />
        <ChatInput st={st} sock={sock} placeholder={t('studio.mod.placeholder')} />
        {st.notice && (
          <p class="room-notice" role="status">
            {st.notice}
          </p>
        )}
      </div>
    </Card>
  );
}
