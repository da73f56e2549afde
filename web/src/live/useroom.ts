// useRoom connects a page to a room's realtime socket while enabled and
// re-renders it on every state change.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Envelope } from './protocol';
import { RoomSocket } from './roomsocket';
import { initialState, type RoomState } from './roomstate';

export interface Room {
  st: RoomState;
  /** The live socket, or null while disabled. */
  sock: RoomSocket | null;
}

export function useRoom(roomID: string, enabled: boolean): Room {
  const [st, setSt] = useState<RoomState>(initialState);
  const [sock, setSock] = useState<RoomSocket | null>(null);
  useEffect(() => {
    if (!enabled) return;
    const s = new RoomSocket(roomID);
    const off = s.subscribe(setSt);
    setSock(s);
    s.start();
    return () => {
      off();
      s.stop();
      setSock(null);
      setSt(initialState);
    };
  }, [roomID, enabled]);
  return { st, sock };
}

/** useRoomEvents calls fn for every frame the socket receives (animations, refreshing lists). */
export function useRoomEvents(sock: RoomSocket | null, fn: (env: Envelope) => void): void {
  const saved = useRef(fn);
  saved.current = fn;
  useEffect(() => {
    if (!sock) return;
    return sock.onEvent((e) => saved.current(e));
  }, [sock]);
}

/** useMedia follows a CSS media query (the room lays out chat differently on wide screens). */
export function useMedia(query: string): boolean {
  const [on, setOn] = useState(() => window.matchMedia(query).matches);
  useEffect(() => {
    const m = window.matchMedia(query);
    const sync = () => setOn(m.matches);
    sync();
    m.addEventListener('change', sync);
    return () => m.removeEventListener('change', sync);
  }, [query]);
  return on;
}
