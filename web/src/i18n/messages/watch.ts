// Strings of the vertical watch feed (see ../index.ts). English first; the
// Chinese table is typed against it, so a missing translation does not
// compile.
export const en = {
  'watch.title': 'Watch',
  'watch.feed': 'Live rooms, one per screen',
  'watch.next': 'Next room',
  'watch.prev': 'Previous room',
  'watch.unmute': 'Sound on',
  'watch.mute': 'Sound off',
  'watch.open': 'Enter the room',
  'watch.openRoom': 'Enter the room: {title}',
  'watch.video': 'Live preview: {title}',
  'watch.watching': '{n} watching',
  'watch.explaining': 'Explaining now',
  'watch.onShelf': 'On the shelf',
  'watch.comingUp': 'Coming up',
  'watch.ended': 'This live has ended',
  'watch.noVideo': 'The preview cannot play in this browser',
  'watch.position': 'Room {n} of {total}',
  'watch.empty': 'Nobody is live right now.',
  'watch.emptyHint': 'See who goes live next on the {link}.',
  'watch.schedule': 'schedule',
  'watch.swipe': 'Swipe live rooms',
  'watch.keys': 'Swipe, scroll or use the arrow keys for the next room',
};
