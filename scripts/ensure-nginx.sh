#!/usr/bin/env bash
# Makes sure an nginx binary with the auth_request module is on this machine (issue 4 "Tests": the
# phantom token e2e runs a real nginx). Installs it from Debian when missing, non-interactively, and
# without starting the system service: the tests run their own nginx in the foreground, with their
# own prefix, pid, logs and temp paths, on free ports, and never touch /etc/nginx.
# Idempotent: does nothing when nginx is already installed.
set -euo pipefail

log() { printf '[ensure-nginx] %s\n' "$*" >&2; }
fail() {
  printf '[ensure-nginx] ERROR: %s\n' "$*" >&2
  exit 1
}

nginx_binary() {
  command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; } || true
}

has_auth_request() {
  "$1" -V 2>&1 | grep -q -- '--with-http_auth_request_module'
}

existing="$(nginx_binary)"
if [ -n "$existing" ]; then
  has_auth_request "$existing" || fail "$existing lacks the auth_request module (ngx_http_auth_request_module)"
  exit 0
fi

command -v apt-get >/dev/null || fail "nginx is missing and this is not a Debian-like system: install nginx (with auth_request) yourself"

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || fail "nginx is missing; run as root or install it: apt-get install -y nginx-light"
  SUDO=(sudo -n)
fi

# Debian starts a packaged service from its postinst; a policy-rc.d answering 101 ("action not
# allowed") stops that, so installing leaves no system nginx listening on port 80.
POLICY=/usr/sbin/policy-rc.d
created_policy=0
if [ ! -e "$POLICY" ]; then
  printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$POLICY" >/dev/null
  "${SUDO[@]}" chmod 755 "$POLICY"
  created_policy=1
fi
cleanup() { if [ "$created_policy" = 1 ]; then "${SUDO[@]}" rm -f "$POLICY"; fi; }
trap cleanup EXIT

log "nginx is missing; installing it from Debian (apt-get)"
export DEBIAN_FRONTEND=noninteractive
"${SUDO[@]}" apt-get update -qq
# nginx-light is enough (proxy, map, auth_request); newer Debian releases only ship `nginx`.
if apt-cache show nginx-light >/dev/null 2>&1; then package=nginx-light; else package=nginx; fi
"${SUDO[@]}" apt-get install -y -qq --no-install-recommends "$package" >/dev/null

installed="$(nginx_binary)"
[ -n "$installed" ] || fail "apt-get installed $package but no nginx binary was found"
has_auth_request "$installed" || fail "$installed lacks the auth_request module"
log "installed $package: $("$installed" -v 2>&1)"
