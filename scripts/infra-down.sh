#!/usr/bin/env bash
# Stops what scripts/infra-up.sh started, as recorded in $TESSERA_INFRA_STARTED_FILE
# (default .infra/started), and nothing else: a broker or database that was already running when
# infra-up ran is left alone. The broker's data (.infra/kafka/data) is kept, so a later infra-up
# restarts the same cluster with its topics.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INFRA_DIR="$ROOT/.infra"
STARTED_FILE="${TESSERA_INFRA_STARTED_FILE:-$INFRA_DIR/started}"

log() { printf '[infra-down] %s\n' "$*" >&2; }

stop_kafka() {
  local pid_file="$INFRA_DIR/kafka.pid" pid
  [ -s "$pid_file" ] || {
    log "no Kafka pid file; nothing to stop"
    return 0
  }
  pid="$(cat "$pid_file")"
  # Only our broker: the pid may have been reused since (e.g. after a reboot).
  if ! tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q 'kafka\.Kafka'; then
    log "Kafka (pid $pid) is not running"
    rm -f "$pid_file"
    return 0
  fi
  log "stopping Kafka (pid $pid)"
  kill -TERM "$pid" 2>/dev/null || true
  local waited=0
  while kill -0 "$pid" 2>/dev/null; do
    if [ "$waited" -ge 300 ]; then
      log "Kafka did not stop within 30 s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      break
    fi
    sleep 0.1
    waited=$((waited + 1))
  done
  rm -f "$pid_file"
}

stop_postgres() { # version
  log "stopping the local PostgreSQL cluster $1/main (infra-up started it)"
  pg_ctlcluster --skip-systemctl-redirect "$1" main stop || log "could not stop PostgreSQL $1/main"
}

if [ ! -f "$STARTED_FILE" ]; then
  log "nothing recorded in ${STARTED_FILE#"$ROOT/"}; nothing to stop"
  exit 0
fi

while read -r item; do
  case "$item" in
  kafka) stop_kafka ;;
  postgres:*) stop_postgres "${item#postgres:}" ;;
  "") ;;
  *) log "unknown entry '$item' in ${STARTED_FILE#"$ROOT/"}; ignored" ;;
  esac
done <"$STARTED_FILE"
rm -f "$STARTED_FILE"
