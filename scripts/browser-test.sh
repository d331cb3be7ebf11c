#!/usr/bin/env bash
# The browser tests of the widget and the operator console: a real headless Chromium (Debian's chromium and chromium-driver, installed by
# install-system-deps.sh --test) driven by Selenium (PyPI, in a virtualenv under .build) against a real
# `chatbuddy serve`. Screenshots land in .build/browser-test/.
set -euo pipefail
cd "$(dirname "$0")/.."

binary="${1:-.build/debug/chatbuddy}"
venv=.build/browser-venv
requirements=Tests/Browser/requirements.txt
if ! cmp -s "$requirements" "$venv/requirements.txt" 2>/dev/null; then
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$requirements"
    cp "$requirements" "$venv/requirements.txt"
fi
"$venv/bin/python" Tests/Browser/widget_test.py "$binary"
"$venv/bin/python" Tests/Browser/console_test.py "$binary"
