// Shared by the journey scripts: the screen size a journey runs at and the
// screenshots of its steps.
//
//   JOURNEY_SIZE  phone (default) or desktop
//   SHOTS_DIR     when set, shot() writes SHOTS_DIR/<journey>-<NN>-<step>-<size>.jpg
//                 (JPEG: a gallery of every step at two sizes stays a few MB)
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const SIZES = {
  phone: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 },
  desktop: { viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 },
};

const requested = process.env.JOURNEY_SIZE || 'phone';
if (!SIZES[requested]) {
  console.error(`JOURNEY_SIZE must be phone or desktop, not ${JSON.stringify(requested)}`);
  process.exit(2);
}

/** SIZE is the name of the size this run uses. */
export const SIZE = requested;

/** contextOptions: the browser-context options of this run's size, merged with extra. */
export function contextOptions(extra = {}) {
  return { ...SIZES[SIZE], ...extra };
}

const counters = new Map();

/**
 * shot saves a screenshot of page as the next step of journey (only when
 * SHOTS_DIR is set), numbered in the order the steps happen.
 */
export async function shot(page, journey, step) {
  const dir = process.env.SHOTS_DIR;
  if (!dir) return;
  const n = (counters.get(journey) ?? 0) + 1;
  counters.set(journey, n);
  mkdirSync(dir, { recursive: true });
  const name = `${journey}-${String(n).padStart(2, '0')}-${step}-${SIZE}.jpg`;
  await page.screenshot({ path: join(dir, name), type: 'jpeg', quality: 70 }).catch((e) => console.error(`screenshot ${name}: ${e.message}`));
}
