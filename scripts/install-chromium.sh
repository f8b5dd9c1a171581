#!/usr/bin/env bash
# Installs Debian's Chromium for the browser test (test/browser/), which drives it with playwright-core.
# Playwright's own browser download cannot run here, so the distribution package is used instead.
# Idempotent: does nothing when /usr/bin/chromium already exists.
set -euo pipefail

CHROMIUM=/usr/bin/chromium

if [ -x "$CHROMIUM" ]; then
	echo "install-chromium: $CHROMIUM is already installed ($("$CHROMIUM" --version 2>/dev/null || echo 'version unknown')); nothing to do"
	exit 0
fi

if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-chromium: $CHROMIUM is missing and apt-get is not available; install Chromium by hand" >&2
	exit 1
fi

# apt-get needs root; use sudo only when not root already.
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
	SUDO=(sudo)
fi

echo "install-chromium: $CHROMIUM is missing; running apt-get update"
"${SUDO[@]}" apt-get update
echo "install-chromium: installing Debian's chromium package"
DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y --no-install-recommends chromium

if [ ! -x "$CHROMIUM" ]; then
	echo "install-chromium: apt-get finished but $CHROMIUM is still missing" >&2
	exit 1
fi
echo "install-chromium: installed $("$CHROMIUM" --version 2>/dev/null || echo "$CHROMIUM")"
