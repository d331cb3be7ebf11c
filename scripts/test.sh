#!/usr/bin/env bash
# The whole test suite: installs what the tests need, starts a throwaway PostgreSQL, builds once and
# runs every test (the storage suite against SQLite and PostgreSQL) on that build, then the widget's
# browser test in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-system-deps.sh --test
swift build --build-tests
scripts/with-postgres.sh swift test --skip-build "$@"
scripts/browser-test.sh .build/debug/chatbuddy
