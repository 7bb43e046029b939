#!/usr/bin/env bash
# Starts the real infrastructure Tessera's distributed mode and integration tests need, without
# Docker (issue 2, DESIGN §6):
#   - PostgreSQL: the server from DATABASE_URL (default: the local one on 127.0.0.1:5432); creates
#     the database and the per-service roles when missing (deploy/postgres/init.sql).
#   - Kafka: unless KAFKA_BROKERS is set or a broker already answers on 127.0.0.1:9092, a one-node
#     KRaft broker from the Maven Central jars (deploy/kafka/pom.xml, cached in .cache/kafka/libs).
# Whatever this run started is appended to $TESSERA_INFRA_STARTED_FILE (default .infra/started), so
# scripts/infra-down.sh stops exactly that and nothing it merely reused.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
INFRA_DIR="$ROOT/.infra"
STARTED_FILE="${TESSERA_INFRA_STARTED_FILE:-$INFRA_DIR/started}"
KAFKA_LOCAL_BROKER="127.0.0.1:9092"
KAFKA_START_TIMEOUT_SECONDS="${TESSERA_KAFKA_START_TIMEOUT:-90}"

log() { printf '[infra-up] %s\n' "$*" >&2; }
fail() {
  printf '[infra-up] ERROR: %s\n' "$*" >&2
  exit 1
}
record_started() {
  mkdir -p "$(dirname "$STARTED_FILE")"
  touch "$STARTED_FILE"
  grep -qx "$1" "$STARTED_FILE" || echo "$1" >>"$STARTED_FILE"
}

# ---------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------

# Prints "<admin url> <database name>": the same server and credentials, connected to the
# `postgres` maintenance database (CREATE DATABASE cannot run inside the target database).
admin_url_and_database() {
  # shellcheck disable=SC2016 # JavaScript, not shell, expands this template.
  node -e '
    const url = new URL(process.argv[1]);
    const database = decodeURIComponent(url.pathname.replace(/^\//, "")) || "tessera";
    url.pathname = "/postgres";
    process.stdout.write(`${url.toString()} ${database}\n`);
  ' "$1"
}

postgres_answers() {
  psql -d "$1" -X -Atq -c 'SELECT 1' >/dev/null 2>&1
}

start_local_postgres() {
  command -v pg_ctlcluster >/dev/null || return 1
  local version
  # shellcheck disable=SC2012 # version directories: plain names.
  version="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)"
  [ -n "$version" ] || return 1
  log "PostgreSQL does not answer; starting the local cluster $version/main"
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || return 1
  record_started "postgres:$version"
}

ensure_postgres() {
  command -v psql >/dev/null || fail "psql is not installed (apt-get install postgresql-client)"
  local url="${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/tessera}"
  local admin_url database
  read -r admin_url database < <(admin_url_and_database "$url")

  if ! postgres_answers "$admin_url"; then
    if [ -n "${DATABASE_URL:-}" ]; then
      fail "PostgreSQL at DATABASE_URL ($(node -e 'process.stdout.write(new URL(process.argv[1]).host)' "$url")) does not answer: psql could not connect to its 'postgres' database"
    fi
    start_local_postgres ||
      fail "no PostgreSQL answers on 127.0.0.1:5432 and the local cluster could not be started (pg_ctlcluster); set DATABASE_URL to a reachable server"
    local waited=0
    until postgres_answers "$admin_url"; do
      waited=$((waited + 1))
      [ "$waited" -le 30 ] || fail "the local PostgreSQL cluster started but does not accept connections as user postgres on 127.0.0.1:5432 after 30 s"
      sleep 1
    done
  fi

  psql -d "$admin_url" -X -q -v ON_ERROR_STOP=1 -v dbname="$database" -f "$ROOT/deploy/postgres/init.sql" >/dev/null ||
    fail "could not create database '$database' and the service roles (deploy/postgres/init.sql)"
  log "PostgreSQL ready: database '$database' and the tessera_* service roles exist"
}

# ---------------------------------------------------------------------------------------------
# Kafka
# ---------------------------------------------------------------------------------------------

kafka_version() {
  sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$ROOT/deploy/kafka/pom.xml" | head -n 1
}

kafka_answers() { # brokers timeout-seconds
  node "$ROOT/scripts/wait-for-kafka.js" "$1" "$2"
}

# The pid in .infra/kafka.pid when that process is alive and is our broker (not a reused pid).
running_kafka_pid() {
  local pid_file="$INFRA_DIR/kafka.pid" pid
  [ -s "$pid_file" ] || return 1
  pid="$(cat "$pid_file")"
  tr '\0' ' ' 2>/dev/null <"/proc/$pid/cmdline" | grep -q 'kafka\.Kafka' || return 1
  echo "$pid"
}

ensure_kafka_jars() {
  local version="$1" libs="$ROOT/.cache/kafka/libs"
  local stamp="$libs/.complete-$version"
  if [ -f "$stamp" ]; then
    return 0
  fi
  command -v mvn >/dev/null || fail "Maven (mvn) is needed once to fetch the Kafka $version jars from Maven Central"
  log "fetching Kafka $version and its runtime dependencies from Maven Central into .cache/kafka/libs"
  rm -rf "$libs"
  mkdir -p "$libs"
  if ! mvn -B -q -f "$ROOT/deploy/kafka/pom.xml" dependency:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$libs" >"$INFRA_DIR/mvn.log" 2>&1; then
    tail -n 40 "$INFRA_DIR/mvn.log" >&2 || true
    fail "mvn could not fetch org.apache.kafka:kafka_2.13:$version (is Maven Central reachable?); see .infra/mvn.log"
  fi
  touch "$stamp"
}

start_kafka() {
  command -v java >/dev/null || fail "Java (17+) is needed to run the Kafka broker"
  local version
  version="$(kafka_version)"
  [ -n "$version" ] || fail "no <kafka.version> in deploy/kafka/pom.xml"
  ensure_kafka_jars "$version"

  local kafka_dir="$INFRA_DIR/kafka" classpath="$ROOT/.cache/kafka/libs/*"
  local data_dir="$kafka_dir/data" properties="$kafka_dir/server.properties"
  local pid_file="$INFRA_DIR/kafka.pid" log_file="$INFRA_DIR/kafka.log"
  mkdir -p "$data_dir"
  sed "s|@LOG_DIRS@|$data_dir|" "$ROOT/deploy/kafka/server.properties" >"$properties"

  local heap_opts java_opts
  read -r -a heap_opts <<<"${KAFKA_HEAP_OPTS:--Xms256m -Xmx512m}"
  java_opts=(
    "${heap_opts[@]}"
    -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true
    "-Dlog4j.configuration=file:$ROOT/deploy/kafka/log4j.properties"
  )

  if [ ! -f "$data_dir/meta.properties" ]; then
    # A KRaft cluster id is 16 random bytes, base64url without padding (what `random-uuid` prints).
    local cluster_id
    cluster_id="$(node -e 'process.stdout.write(require("node:crypto").randomBytes(16).toString("base64url"))')"
    # --cluster-id=<id> as one argument: an id beginning with '-' (1 in 64) would otherwise read as an option.
    java "${java_opts[@]}" -cp "$classpath" kafka.tools.StorageTool format \
      "--cluster-id=$cluster_id" -c "$properties" --ignore-formatted >"$kafka_dir/format.log" 2>&1 ||
      fail "formatting the Kafka storage failed; see $kafka_dir/format.log"
  fi

  log "starting Kafka $version (KRaft, one node) on $KAFKA_LOCAL_BROKER; log in .infra/kafka.log"
  local started_at=$SECONDS
  rm -f "$pid_file"
  # setsid: the broker outlives the shell that started it (and its process group's signals);
  # `exec` keeps the recorded pid the java process itself.
  # shellcheck disable=SC2016 # $$, $1 and $@ belong to the inner shell.
  setsid bash -c 'echo $$ >"$1"; shift; exec "$@"' _ "$pid_file" \
    java "${java_opts[@]}" -cp "$classpath" kafka.Kafka "$properties" >"$log_file" 2>&1 </dev/null &
  local waited=0
  while [ ! -s "$pid_file" ] && [ "$waited" -lt 50 ]; do
    sleep 0.1
    waited=$((waited + 1))
  done
  local pid
  pid="$(cat "$pid_file")"
  record_started kafka

  local deadline=$((SECONDS + KAFKA_START_TIMEOUT_SECONDS))
  until kafka_answers "$KAFKA_LOCAL_BROKER" 3; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 40 "$log_file" >&2 || true
      fail "the Kafka broker exited during start-up (last lines of .infra/kafka.log above)"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
      tail -n 40 "$log_file" >&2 || true
      fail "the Kafka broker did not answer on $KAFKA_LOCAL_BROKER within ${KAFKA_START_TIMEOUT_SECONDS} s (pid $pid is left running; scripts/infra-down.sh stops it)"
    fi
  done
  log "Kafka $version ready on $KAFKA_LOCAL_BROKER after $((SECONDS - started_at)) s (pid $pid)"
}

ensure_kafka() {
  if [ -n "${KAFKA_BROKERS:-}" ]; then
    kafka_answers "$KAFKA_BROKERS" 30 || fail "the Kafka brokers in KAFKA_BROKERS ($KAFKA_BROKERS) do not answer"
    log "using Kafka at KAFKA_BROKERS=$KAFKA_BROKERS (nothing started)"
    return 0
  fi
  local pid
  if pid="$(running_kafka_pid)"; then
    # Started earlier by this script (maybe still starting): wait for it rather than start a second one.
    kafka_answers "$KAFKA_LOCAL_BROKER" "$KAFKA_START_TIMEOUT_SECONDS" ||
      fail "the Kafka broker started earlier (pid $pid) does not answer on $KAFKA_LOCAL_BROKER"
    log "reusing the Kafka broker already running on $KAFKA_LOCAL_BROKER (pid $pid)"
    return 0
  fi
  if kafka_answers "$KAFKA_LOCAL_BROKER" 2; then
    log "reusing the Kafka broker already answering on $KAFKA_LOCAL_BROKER"
    return 0
  fi
  start_kafka
}

mkdir -p "$INFRA_DIR"
ensure_postgres
ensure_kafka
