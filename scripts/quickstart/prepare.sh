#!/usr/bin/env bash
# What `npm start` and `npm run demo` do before they run: build the node, then install the pinned
# n8n 2.x and its Node.js the first time (scripts/n8n/install.sh says how big and how long first).
# Both steps say what they do while they do it (scripts/n8n/progress.sh).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
# shellcheck source=../n8n/progress.sh
source "$ROOT/scripts/n8n/progress.sh"

cd "$ROOT"
with_progress "Building the node (TypeScript to dist/)" "15 to 20 s" - npm run --silent build
bash "$ROOT/scripts/n8n/install.sh" n8n2
