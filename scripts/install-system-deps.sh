#!/usr/bin/env bash
# Installs the Debian packages the gateway needs to build and run (with --test, to test; with --bench, to
# run the benchmarks).
# Does nothing when they are already installed; run as root or with sudo available.
set -euo pipefail

packages=(pkg-config libxml2-dev libsqlite3-dev libstemmer-dev libhunspell-dev hunspell-hu)
if [[ "${1:-}" == "--test" ]]; then
    packages+=(postgresql python3 python3-venv chromium chromium-driver fonts-dejavu-core nginx openssl)
fi
if [[ "${1:-}" == "--bench" ]]; then
    packages+=(python3 libxml2-utils)
fi

missing=()
for package in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
[[ ${#missing[@]} -eq 0 ]] && exit 0

echo "installing: ${missing[*]}"
sudo=""
[[ $(id -u) -ne 0 ]] && sudo="sudo"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
