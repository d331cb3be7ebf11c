#!/usr/bin/env bash
# Runs the gateway on the embedded defaults (or whatever the environment sets), installing missing
# system packages first.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-system-deps.sh
exec swift run -c release chatbuddy serve --demo "$@"
