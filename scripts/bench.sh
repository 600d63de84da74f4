#!/usr/bin/env bash
# npm run bench: ../shared/bench/run.sh with Groundwork (server mode) as PROJECT_CMD, in a
# copy of the bench folder (run.sh installs its baselines' dependencies beside itself).
# Prints the bench's table and ratios; knobs pass through (DURATION, ROUNDS, CONNS).
# Request logging is off (LOG_LEVEL=warn): the baselines log nothing either.
# OBSERVE=1: instead, the cost of metrics and tracing (scripts/bench-observe.sh).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ "${OBSERVE:-}" = 1 ] && exec bash "$root/scripts/bench-observe.sh"
bench=${BENCH_DIR:-$root/../shared/bench}
[ -f "$bench/run.sh" ] || { echo "no bench at $bench (set BENCH_DIR)" >&2; exit 1; }
if ! command -v wrk >/dev/null; then
  echo "--- installing wrk (apt)"
  sudo_=""; [ "$(id -u)" = 0 ] || sudo_="sudo"
  $sudo_ apt-get install -y -qq wrk >/dev/null
fi
(cd "$root" && npm run build --silent)
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
cp -r "$bench"/. "$work/bench/" 2>/dev/null || { mkdir -p "$work/bench"; cp -r "$bench"/. "$work/bench/"; }
chmod -R u+w "$work/bench"
mkdir -p "$work/project"
export PROJECT_CMD="env LOG_LEVEL=warn GROUNDWORK_DATA_DIR=$work/data node $root/dist/cli.js start --project-dir $work/project"
bash "$work/bench/run.sh" | tee "$work/server.txt"

# Embedded mode: the same feed on PGlite, the fixture applied as the project's migration.
echo "--- embedded mode (PGlite): loading the fixture as a migration (progress below)"
mkdir -p "$work/embedded/supabase/migrations"
cp "$work/bench/fixture.sql" "$work/embedded/supabase/migrations/20250101000000_bench_fixture.sql"
secret=bench-secret-bench-secret-bench-secret-0123
port=$((20000 + RANDOM % 20000))
env LOG_LEVEL=warn PORT=$port JWT_SECRET=$secret GROUNDWORK_DATA_DIR="$work/embedded-data" \
  node "$root/dist/cli.js" start --project-dir "$work/embedded" > "$work/embedded.log" 2>&1 &
gw=$!
trap 'kill $gw 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.5; done
token=$(cd "$root" && node --input-type=module -e "import { SignJWT } from 'jose'; console.log(await new SignJWT({ role: 'authenticated', sub: '00000000-0000-4000-8000-000000000001' }).setProtectedHeader({ alg: 'HS256' }).sign(new TextEncoder().encode('$secret')))")
feed='/rest/v1/posts?select=id,title,created_at,author:profiles(id,username)&published=eq.true&order=created_at.desc&limit=20'
wrk -t1 -c"${CONNS:-32}" -d2s -H "Authorization: Bearer $token" "http://127.0.0.1:$port$feed" >/dev/null
rps=$(wrk -t1 -c"${CONNS:-32}" -d"${DURATION:-5}s" -H "Authorization: Bearer $token" "http://127.0.0.1:$port$feed" | awk '/Requests\/sec/ {print int($2)}')
rss=$(awk '/VmRSS/ {print int($2 / 1024)}' "/proc/$gw/status")
fastify=$(awk '$1 == "fastify" {print $2}' "$work/server.txt")
printf 'embedded feed_rps %s   ratio embedded/fastify(server)=%.2f   RSS after the feed %s MB\n' "$rps" "$(echo "$rps $fastify" | awk '{print $1/$2}')" "$rss"
