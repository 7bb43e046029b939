#!/usr/bin/env bash
# `npm test` (issue 2): builds, starts the infrastructure the tests need (scripts/infra-up.sh),
# runs every jest project (unit, int, e2e; extra arguments are passed to jest), and always stops
# what it started, even when jest fails or is interrupted. Exits with jest's code.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT" || exit 1

# This run's own record of what it started: a broker left running by an earlier `npm run infra:up`
# is reused and must survive this run's infra-down.
export TESSERA_INFRA_STARTED_FILE="$ROOT/.infra/started.test.$$"
cleanup() { bash "$ROOT/scripts/infra-down.sh" || true; }
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# e2e tests spawn the compiled apps (dist/), so the build must be current.
npm run build || exit $?

# infra-up sees KAFKA_BROKERS only when the caller set it (then it starts no broker).
bash "$ROOT/scripts/infra-up.sh" || exit $?
# The phantom token e2e runs a real nginx (issue 4): installed from Debian when missing. Without it
# only those tests fail (with the reason), not the whole run.
bash "$ROOT/scripts/ensure-nginx.sh" || echo "[test] nginx is unavailable: the gateway e2e tests will fail" >&2
bash "$ROOT/scripts/ensure-chromium.sh" || echo "[test] chromium is unavailable: the browser e2e tests will fail" >&2

export KAFKA_BROKERS="${KAFKA_BROKERS:-127.0.0.1:9092}"
if [ -z "${TESSERA_TEST_ADMIN_DATABASE_URL:-}" ]; then
  if [ -n "${DATABASE_URL:-}" ]; then
    # Tests create throw-away databases on the same server, through its `postgres` database.
    TESSERA_TEST_ADMIN_DATABASE_URL="$(node -e 'const u = new URL(process.argv[1]); u.pathname = "/postgres"; process.stdout.write(u.toString())' "$DATABASE_URL")"
  else
    TESSERA_TEST_ADMIN_DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres"
  fi
fi
export TESSERA_TEST_ADMIN_DATABASE_URL

npx jest --ci "$@"
