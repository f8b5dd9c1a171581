#!/usr/bin/env bash
# Runs one Jest test file N times in a row while `npm run test:fast` keeps the machine busy, and prints
# how many runs passed. It is how a flaky verdict is shown gone (issue 23): a test that passes alone
# but fails one run in three under load blocks a submission at random.
#
#   bash scripts/repeat-under-load.sh 10 test/e2e/queue-mode.test.ts -t 'n8n1'
#
# Needs the e2e installs (`npm run e2e:install`) and a build. Each run's output is kept in
# .cache/repeat-under-load/<time>/run-<i>.log; the load's own output in load-<j>.log.
set -u
runs="${1:?usage: repeat-under-load.sh RUNS TEST_FILE [jest args...]}"
shift
test_file="${1:?usage: repeat-under-load.sh RUNS TEST_FILE [jest args...]}"
shift

cd "$(dirname "$0")/.."
out=".cache/repeat-under-load/$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$out"

# The load: the unit and integration suites over and over, in their own process group so that one
# kill stops the loop and every Jest worker under it.
# LOAD_DIR runs the load from another checkout (to compare two versions of a test under the same load);
# LOAD_JOBS runs that many loops side by side, for a harsher load (default 1).
load_dir="$(realpath "${LOAD_DIR:-.}")"
out="$(realpath "$out")"
setsid bash -c 'cd "$1" && for j in $(seq 1 "$2"); do (while true; do npx jest --selectProjects unit integration --maxWorkers=2 >>"$0/load-$j.log" 2>&1; done) & done; wait' "$out" "$load_dir" "${LOAD_JOBS:-1}" &
load_group=$!
trap 'kill -- -"$load_group" 2>/dev/null' EXIT

passed=0
for i in $(seq 1 "$runs"); do
	sleep 20 # let the load get going before each run
	start=$(date +%s)
	if npx jest "$test_file" --selectProjects e2e "$@" >"$out/run-$i.log" 2>&1; then
		passed=$((passed + 1))
		verdict=passed
	else
		verdict=FAILED
	fi
	load=$(cut -d' ' -f1-3 /proc/loadavg)
	echo "run $i/$runs: $verdict in $(($(date +%s) - start)) s (load average $load); $(grep -E '^Tests:' "$out/run-$i.log" | tail -1)"
done
echo "repeat-under-load: $passed of $runs runs passed ($test_file $*); logs in $out"
[ "$passed" -eq "$runs" ]
