#!/usr/bin/env bash
# Renders an nginx template of this folder: replaces each ${TESSERA_*} placeholder with the
# variable's value (defaults below), leaves nginx's own $variables alone, and refuses a value that
# could inject configuration. Usage:
#   TESSERA_GATEWAY_SECRET=… TESSERA_TOKEN_UPSTREAM=10.0.0.5:4002 … deploy/nginx/render.sh [template] > tessera.conf
# Without a template argument it renders tessera.conf.template.
set -euo pipefail

DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
TEMPLATE="${1:-$DIR/tessera.conf.template}"

: "${TESSERA_GATEWAY_LISTEN:=8080}"
: "${TESSERA_AUTHENTICATION_UPSTREAM:=127.0.0.1:4001}"
: "${TESSERA_TOKEN_UPSTREAM:=127.0.0.1:4002}"
: "${TESSERA_INTROSPECTION_UPSTREAM:=127.0.0.1:4003}"
: "${TESSERA_CONSENT_UPSTREAM:=127.0.0.1:4004}"
: "${TESSERA_AUDIT_UPSTREAM:=127.0.0.1:4005}"
: "${TESSERA_DEMO_API_UPSTREAM:=127.0.0.1:9000}"
: "${TESSERA_DEMO_API_AUDIENCE:=http://localhost:8080/api/demo}"
: "${TESSERA_PHANTOM_CACHE_SECONDS:=0}"
: "${TESSERA_PHANTOM_CACHE_PATH:=/var/cache/nginx/tessera-phantom}"
: "${TESSERA_NGINX_WORKERS:=1}"

fail() {
  printf 'render.sh: %s\n' "$*" >&2
  exit 1
}

[[ "$TESSERA_PHANTOM_CACHE_SECONDS" =~ ^[0-9]{1,9}$ ]] || fail "TESSERA_PHANTOM_CACHE_SECONDS must be a whole number of seconds"
# A cached answer carries a JWT the service reuses only while >= 30 s of its life remain (README.md).
[ "$((10#$TESSERA_PHANTOM_CACHE_SECONDS))" -lt 30 ] || fail "TESSERA_PHANTOM_CACHE_SECONDS must be below 30 (a cached JWT must not outlive its exp)"
TESSERA_PHANTOM_CACHE_SECONDS="$((10#$TESSERA_PHANTOM_CACHE_SECONDS))"
# The introspection service's TESSERA_GATEWAY_SECRET, sent on the phantom subrequest; never echoed.
[ -n "${TESSERA_GATEWAY_SECRET:-}" ] || fail "TESSERA_GATEWAY_SECRET is required: the introspection service's value (openssl rand -base64 32)"
[[ "$TESSERA_GATEWAY_SECRET" =~ ^[A-Za-z0-9._~+/=-]{32,}$ ]] || fail "TESSERA_GATEWAY_SECRET must be at least 32 characters of [A-Za-z0-9._~+/=-] (value not shown)"
if [ "$TESSERA_PHANTOM_CACHE_SECONDS" -gt 0 ]; then TESSERA_PHANTOM_CACHE_ZONE=tessera_phantom; else TESSERA_PHANTOM_CACHE_ZONE=off; fi

VARIABLES=(
  TESSERA_GATEWAY_LISTEN TESSERA_AUTHENTICATION_UPSTREAM TESSERA_TOKEN_UPSTREAM TESSERA_INTROSPECTION_UPSTREAM
  TESSERA_CONSENT_UPSTREAM TESSERA_AUDIT_UPSTREAM TESSERA_DEMO_API_UPSTREAM TESSERA_DEMO_API_AUDIENCE
  TESSERA_PHANTOM_CACHE_SECONDS TESSERA_PHANTOM_CACHE_ZONE TESSERA_PHANTOM_CACHE_PATH TESSERA_NGINX_WORKERS
  TESSERA_GATEWAY_SECRET
)

# `]` first and `-` last: literal in a bracket expression ([ ] for IPv6 addresses).
SAFE_VALUE='^[][A-Za-z0-9._:/@%+=~-]+$'
[ -r "$TEMPLATE" ] || fail "cannot read $TEMPLATE"
content="$(cat "$TEMPLATE")"
for name in "${VARIABLES[@]}"; do
  value="${!name}"
  # Addresses, URLs, paths and numbers only: no quote, semicolon, brace, space or `$` reaches nginx.
  [[ "$value" =~ $SAFE_VALUE ]] || fail "$name has characters nginx configuration does not allow here: '$value'"
  content="${content//\$\{$name\}/$value}"
done
if [[ "$content" =~ \$\{TESSERA_[A-Z_]*\} ]]; then fail "unknown placeholder ${BASH_REMATCH[0]} in $TEMPLATE"; fi
printf '%s\n' "$content"
