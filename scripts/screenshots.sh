#!/usr/bin/env bash
# Takes the screenshots in docs/screenshots: the browser audit's key pages,
# then every browser journey at phone and desktop sizes (each journey script
# saves a numbered shot of each step), and writes docs/screenshots/JOURNEYS.md,
# the gallery the README links to. Run by `make screenshots`.
set -euo pipefail
cd "$(dirname "$0")/.."
GO=${GO:-go}
out=docs/screenshots
journeys=$out/journeys
# `scripts/screenshots.sh gallery` only rewrites the gallery from the shots there are.
if [ "${1:-}" != gallery ]; then
  : "${LIVESHOP_BIN:?LIVESHOP_BIN must name the built binary}"
  rm -rf "$journeys"
  mkdir -p "$journeys"
  LIVESHOP_SCREENSHOTS=$PWD/$out "$GO" test -count=1 -run 'TestBrowserAudit$' ./e2e
  for size in phone desktop; do
    echo "journeys at $size size"
    JOURNEY_SIZE=$size SHOTS_DIR=$PWD/$journeys "$GO" test -count=1 -timeout 20m \
      -run 'TestBrowser(Onboarding|Buyer|BuyerRoom|Live|RoomChat|Selling|Discovery|Admin)$' ./e2e
  done
fi

# The gallery: one table per journey, a row per step, phone beside desktop.
{
  echo "# Journeys, step by step"
  echo
  echo "Taken by \`make screenshots\` (scripts/screenshots.sh): each browser journey of \`make test\` run at a phone"
  echo "size (390×844, touch) and a laptop size (1280×800), a screenshot at each step."
  for journey in $(ls "$journeys" | sed -E 's/-[0-9]{2}-.*//' | sort -u); do
    echo
    echo "## $journey"
    echo
    echo "| Step | Phone | Desktop |"
    echo "| --- | --- | --- |"
    # Rows by step name (a journey may take a step at one size only), in the phone run's order.
    steps=$( (ls "$journeys" | grep -E "^$journey-[0-9]{2}-.*-phone\.jpg$" | sort; \
              ls "$journeys" | grep -E "^$journey-[0-9]{2}-.*-desktop\.jpg$" | sort) |
            sed -E "s/^$journey-[0-9]{2}-//; s/-(phone|desktop)\.jpg$//" | awk '!seen[$0]++')
    for step in $steps; do
      row="| ${step//-/ }"
      for size in phone desktop; do
        file=$(ls "$journeys" | grep -E "^$journey-[0-9]{2}-$step-$size\.jpg$" | head -1 || true)
        width=160; [ "$size" = desktop ] && width=420
        if [ -n "$file" ]; then row="$row | <img src=\"journeys/$file\" width=\"$width\">"; else row="$row | (this size has no such step)"; fi
      done
      echo "$row |"
    done
  done
} >"$out/JOURNEYS.md"
echo "wrote $out/JOURNEYS.md"
