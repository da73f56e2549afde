// Strings of the vertical watch feed (see ../index.ts). English first; the
// Chinese table is typed against it, so a missing translation does not
// compile.
export const en = {
  'watch.title': 'Watch',
};

export const zh: Record<keyof typeof en, string> = {
  'watch.title': '看直播',
};
