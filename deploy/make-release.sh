#!/usr/bin/env bash
# Builds a release and lays it out in a folder that runs from anywhere:
#   bin/chatbuddy (resources compiled in), webhooks.yml, templates/, channels/, public/
# Usage: deploy/make-release.sh [OUT]   (default .build/release-layout)
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-.build/release-layout}"
swift build -c release --product chatbuddy
rm -rf "$out"
mkdir -p "$out/bin"
cp .build/release/chatbuddy "$out/bin/"
cp -r webhooks.yml templates channels public "$out/"
echo "release laid out in $out"
