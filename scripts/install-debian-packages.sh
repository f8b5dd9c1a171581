#!/usr/bin/env bash
# Installs the Debian packages a test layer needs (Chromium for the browser test, a database for
# another), once: packages already installed cost one dpkg query and nothing else.
#
# Usage: scripts/install-debian-packages.sh <package>...
#
# Installs with apt-get as root, or through sudo when it needs no password (CI runners). Otherwise
# it stops at once, before any slow step, printing the one command that installs what is missing.
set -euo pipefail

log() { printf '[debian-packages] %s\n' "$*"; }

if [[ $# -eq 0 ]]; then
	echo "usage: $0 <package>..." >&2
	exit 2
fi

installed() {
	[[ "$(dpkg-query -W -f='${Status}' "$1" 2>/dev/null)" == "install ok installed" ]]
}

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
	echo "[debian-packages] this is not a Debian-like system (no dpkg/apt-get): install these with your package manager, then run the command again: $*" >&2
	exit 1
fi

missing=()
for package in "$@"; do
	installed "$package" || missing+=("$package")
done
if [[ ${#missing[@]} -eq 0 ]]; then
	log "already installed: $*"
	exit 0
fi

# Through env, so the setting survives sudo's clean environment.
APT=(env DEBIAN_FRONTEND=noninteractive apt-get)
if [[ "$(id -u)" -ne 0 ]]; then
	if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
		APT=(sudo -n "${APT[@]}")
	else
		{
			echo "[debian-packages] missing Debian packages: ${missing[*]}; installing them needs root. Run once:"
			echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}"
		} >&2
		exit 1
	fi
fi

# Another apt run (the machine's own, or a second test run) holds the lock: wait for it, do not fail.
LOCK_WAIT=(-o DPkg::Lock::Timeout=600)
log "installing ${missing[*]}"
"${APT[@]}" "${LOCK_WAIT[@]}" update -qq
"${APT[@]}" "${LOCK_WAIT[@]}" install -y -qq --no-install-recommends "${missing[@]}"

for package in "${missing[@]}"; do
	if ! installed "$package"; then
		echo "[debian-packages] apt-get finished but $package is still not installed" >&2
		exit 1
	fi
done
log "installed ${missing[*]}"
