# Progress for long, quiet steps (sourced by install.sh and scripts/quickstart/prepare.sh).
#
#   with_progress LABEL USUAL PROBE COMMAND...
#
# runs COMMAND and, while it runs, says what it is doing (LABEL), how far it got (the one-line
# answer of PROBE, a shell command line, quoted with printf %q where needed; `-` for none), how long so far and how long it usually takes
# (USUAL). A terminal gets one line rewritten every second; a log gets one when it starts and then
# every PROGRESS_EVERY seconds of wall-clock time (6 by default: on a loaded machine a probe can take a
# second or two), so nobody watches more than ~10 s of silence. COMMAND runs in a process
# group of its own, so an interrupt stops all of it (npm, node-gyp, the compiler), not only npm.

PROGRESS_EVERY=${PROGRESS_EVERY:-6}
PROGRESS_PREFIX=${PROGRESS_PREFIX:-}
# The group of the step running now, for the interrupt handler of the script that sourced this file.
PROGRESS_PID=

progress_now() { date +%s; }

# 75 -> "1 min 15 s"
progress_duration() {
	local seconds=$1
	if ((seconds >= 60)); then
		printf '%d min %02d s' $((seconds / 60)) $((seconds % 60))
	else
		printf '%d s' "$seconds"
	fi
}

progress_line() {
	local label=$1 usual=$2 probe=$3 started=$4 far=''
	if [[ "$probe" != - ]]; then
		far=$(eval "$probe" 2>/dev/null || true)
		[[ -n "$far" ]] && far=": $far"
	fi
	printf '%s%s%s, %s so far (usually %s)' "$PROGRESS_PREFIX" "$label" "$far" \
		"$(progress_duration $(($(progress_now) - started)))" "$usual"
}

with_progress() {
	local label=$1 usual=$2 probe=$3 started status=0 tty=0 saved_traps last_line
	shift 3
	started=$(progress_now)
	saved_traps=$(trap -p INT TERM HUP)
	[[ -t 1 ]] && tty=1
	# The step is not in the terminal's process group: an interrupt must reach it through us.
	trap 'stop_progress_step; exit 130' INT
	trap 'stop_progress_step; exit 143' TERM
	trap 'stop_progress_step; exit 129' HUP
	# Job control gives the step its own process group (and keeps SIGINT from being ignored in it).
	set -m
	"$@" </dev/null &
	PROGRESS_PID=$!
	set +m
	if ((!tty)); then printf '%s%s ...\n' "$PROGRESS_PREFIX" "$label"; fi
	last_line=$started
	while kill -0 "$PROGRESS_PID" 2>/dev/null; do
		sleep 1
		kill -0 "$PROGRESS_PID" 2>/dev/null || break
		if ((tty)); then
			printf '\r\033[K%s' "$(progress_line "$label" "$usual" "$probe" "$started")"
		elif (($(progress_now) - last_line >= PROGRESS_EVERY)); then
			last_line=$(progress_now)
			printf '%s\n' "$(progress_line "$label" "$usual" "$probe" "$started")"
		fi
	done
	wait "$PROGRESS_PID" || status=$?
	PROGRESS_PID=
	trap - INT TERM HUP
	eval "$saved_traps"
	if ((tty)); then printf '\r\033[K'; fi
	return "$status"
}

# Stops the running step's whole process group (called from an interrupt handler).
stop_progress_step() {
	if [[ -n "$PROGRESS_PID" ]]; then
		kill -TERM -- "-$PROGRESS_PID" 2>/dev/null || true
		wait "$PROGRESS_PID" 2>/dev/null || true
		PROGRESS_PID=
	fi
}

# How far `npm ci` got: first it reads each package's data from the registry (counted in its debug
# log), then it puts the packages on disk (counted against the lockfile).
# $1: the folder holding package-lock.json (and node_modules being filled), $2: npm's --logs-dir.
count_installed_packages() {
	node -e '
		const fs = require("fs"), path = require("path");
		const [folder, logs] = process.argv.slice(1);
		const lock = JSON.parse(fs.readFileSync(path.join(folder, "package-lock.json"), "utf8"));
		const wanted = Object.entries(lock.packages || {}).filter(([key, entry]) => key.startsWith("node_modules/") && !entry.link);
		const there = wanted.filter(([key]) => fs.existsSync(path.join(folder, key, "package.json"))).length;
		const format = (n) => n.toLocaleString("en-US");
		let read = 0;
		if (there === 0 && logs && fs.existsSync(logs)) {
			for (const file of fs.readdirSync(logs)) {
				read += (fs.readFileSync(path.join(logs, file), "utf8").match(/ http fetch GET 200 /g) || []).length;
			}
		}
		console.log(read > 0
			? `package data read for ${format(Math.min(read, wanted.length))} of ${format(wanted.length)}, none on disk yet`
			: `${format(there)} of ${format(wanted.length)} packages on disk`);
	' "$1" "${2:-}"
}
