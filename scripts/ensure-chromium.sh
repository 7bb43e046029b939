#!/usr/bin/env bash
# Makes sure Debian's Chromium is on this machine (issue 5 "Tests": the browser e2e drives a real
# Chromium through playwright-core; browsers cannot be downloaded here, so Playwright never fetches
# one). Installs the `chromium` package from Debian when /usr/bin/chromium is missing,
# non-interactively. Mirrors scripts/ensure-nginx.sh. Idempotent: does nothing when it is installed.
set -euo pipefail

log() { printf '[ensure-chromium] %s\n' "$*" >&2; }
fail() {
  printf '[ensure-chromium] ERROR: %s\n' "$*" >&2
  exit 1
}

CHROMIUM="${TESSERA_CHROMIUM:-/usr/bin/chromium}"

if [ -x "$CHROMIUM" ]; then
  exit 0
fi

command -v apt-get >/dev/null || fail "$CHROMIUM is missing and this is not a Debian-like system: install Chromium yourself (or set TESSERA_CHROMIUM)"

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || fail "$CHROMIUM is missing; run as root or install it: apt-get install -y chromium"
  SUDO=(sudo -n)
fi

log "$CHROMIUM is missing; installing chromium from Debian (apt-get)"
"${SUDO[@]}" apt-get update -qq
"${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null

[ -x "$CHROMIUM" ] || fail "apt-get installed chromium but $CHROMIUM was not found"
log "installed: $("$CHROMIUM" --version 2>/dev/null || echo chromium)"
