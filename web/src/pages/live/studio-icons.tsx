// The studio's few line icons (inline SVG: no emoji font needed, they follow
// the text colour). Always decorative: the control next to them has the label.
const PATHS = {
  products: 'M6 8h12l-1 12H7L6 8z M9 8a3 3 0 0 1 6 0',
  sell: 'M13 2L4 14h7l-1 8 9-12h-7z',
  chat: 'M4 5h16v11H9l-5 4z',
  stats: 'M5 20V11 M12 20V4 M19 20v-6',
  eye: 'M2 12s4-7 10-7 10 7 10 7-4 7-10 7S2 12 2 12z M12 9a3 3 0 1 0 0 6a3 3 0 1 0 0-6',
  mic: 'M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3z M5 11a7 7 0 0 0 14 0 M12 18v3',
  micOff: 'M12 3a3 3 0 0 0-3 3v6a3 3 0 0 0 6 0V6a3 3 0 0 0-3-3z M5 11a7 7 0 0 0 14 0 M12 18v3 M3 3l18 18',
  flip: 'M20 11a8 8 0 0 0-14-4l-2 2 M4 4v5h5 M4 13a8 8 0 0 0 14 4l2-2 M20 20v-5h-5',
  back: 'M15 5l-7 7 7 7',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 20 }: { name: IconName; size?: number }) {
  return (
    <svg class="studio-icon" width={size} height={size} viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2" stroke-linecap="round" stroke-linejoin="round" aria-hidden="true" focusable="false">
      <path d={PATHS[name]} />
    </svg>
  );
}
