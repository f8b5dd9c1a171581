#!/usr/bin/env bash
# Debian's redis-server and postgresql for the queue-mode test (test/e2e/queue-mode.test.ts) and
# `npm run stack:up`. Only the binaries are used: the tests start their own servers on free loopback
# ports in temporary folders, so the services Debian sets up are not needed (and left as they are).
# A no-op once both are there.
set -euo pipefail

have_servers() {
	[[ -x /usr/bin/redis-server ]] && compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null
}

if have_servers; then
	echo "install-queue-servers: redis-server and postgresql already installed"
	exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-queue-servers: install Redis and PostgreSQL (Debian packages redis-server, postgresql) by hand" >&2
	exit 1
fi
SUDO=()
if [[ "$(id -u)" -ne 0 ]]; then
	SUDO=(sudo -n)
fi
echo "install-queue-servers: installing Debian's redis-server and postgresql"
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends redis-server postgresql
if ! have_servers; then
	echo "install-queue-servers: apt-get finished but the server binaries are still missing" >&2
	exit 1
fi
echo "install-queue-servers: installed"
