#!/usr/bin/env bash
# Debian's Chromium for the browser test (test/browser/), which drives /usr/bin/chromium with
# playwright-core: Playwright's own browser download cannot run here. A no-op once it is there.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [[ ! -x "$CHROMIUM" ]]; then
	bash "$(dirname "${BASH_SOURCE[0]}")/install-debian-packages.sh" chromium
fi
if [[ ! -x "$CHROMIUM" ]]; then
	echo "install-chromium: $CHROMIUM is still missing (the browser test needs it there)" >&2
	exit 1
fi
echo "install-chromium: $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
