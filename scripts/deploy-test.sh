#!/usr/bin/env bash
# The shipped nginx site (deploy/nginx/chatbuddy.conf) in front of two gateways on one throwaway
# PostgreSQL: Twilio signatures over the public URL, the widget's socket through the proxy, client
# addresses behind a trusted proxy, and a killed gateway. Needs nginx and openssl
# (scripts/install-system-deps.sh --test) and the debug build (swift build).
set -euo pipefail
cd "$(dirname "$0")/.."
exec scripts/with-postgres.sh python3 Tests/Deploy/deploy_test.py
