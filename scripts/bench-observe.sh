#!/usr/bin/env bash
# The cost of observation on the REST bench: Groundwork twice over one PostgreSQL cluster in
# the same run, observation off (GROUNDWORK_METRICS=false, no tracing) and on (metrics, and
# tracing to an OTLP/HTTP collector that accepts and discards: scripts/bench-observe-sink.mjs),
# timed round by round, interleaved, on the shared bench's requests (../shared/bench: the feed
# GET and the comment POST, with its fixture and wrk script). Prints the medians and the on/off
# ratios; the target is throughput on/off >= 0.95. Run with `OBSERVE=1 npm run bench` (or
# directly); knobs: DURATION, ROUNDS, CONNS, PGBIN, BENCH_DIR, and SAMPLE_RATIO (the "on"
# server's GROUNDWORK_TRACE_SAMPLE_RATIO; unset: a server's default, a tenth).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bench=${BENCH_DIR:-$root/../shared/bench}
[ -f "$bench/fixture.sql" ] || { echo "no bench at $bench (set BENCH_DIR)" >&2; exit 1; }
DURATION=${DURATION:-5}; CONNS=${CONNS:-32}; ROUNDS=${ROUNDS:-5}
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)}
secret=bench-secret-bench-secret-bench-secret-0123
(cd "$root" && npm run build --silent)
work=$(mktemp -d); pids=()
run_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
            [ -f "$work/pg/PG_VERSION" ] && run_pg "$PGBIN/pg_ctl" -D "$work/pg" -m immediate stop >/dev/null 2>&1 || true
            rm -rf "$work"; }
trap cleanup EXIT
[ "$(id -u)" = 0 ] && chown postgres "$work"
pgport=$((20000 + RANDOM % 10000)); sink=$((pgport + 10000)); off=$((pgport + 11000)); on=$((pgport + 12000))
run_pg "$PGBIN/initdb" -D "$work/pg" -A trust -U postgres >/dev/null
run_pg "$PGBIN/pg_ctl" -D "$work/pg" -l "$work/pg.log" -o "-p $pgport -k $work -c max_connections=200" start >/dev/null
psql_() { "$PGBIN/psql" -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$pgport" -U postgres -d postgres "$@"; }
wait_http() { for _ in $(seq 1 300); do curl -sf "$1" >/dev/null 2>&1 && return 0; sleep 0.2; done; echo "no answer at $1" >&2; return 1; }

node "$root/scripts/bench-observe-sink.mjs" "$sink" & pids+=($!)
mkdir -p "$work/project"
common=(env LOG_LEVEL=warn DATABASE_URL="postgres://postgres@127.0.0.1:$pgport/postgres" JWT_SECRET=$secret)
# One after the other: the first bootstraps the database.
"${common[@]}" PORT=$off GROUNDWORK_DATA_DIR="$work/off" GROUNDWORK_METRICS=false \
  node "$root/dist/cli.js" start --project-dir "$work/project" >"$work/off.log" 2>&1 & pids+=($!); pid_off=$!
wait_http "http://127.0.0.1:$off/health" || { tail -20 "$work/off.log"; exit 1; }
sampling=(); [ -n "${SAMPLE_RATIO:-}" ] && sampling=(GROUNDWORK_TRACE_SAMPLE_RATIO="$SAMPLE_RATIO")
"${common[@]}" "${sampling[@]}" PORT=$on GROUNDWORK_DATA_DIR="$work/on" GROUNDWORK_METRICS=true OTEL_EXPORTER_OTLP_ENDPOINT="http://127.0.0.1:$sink" \
  node "$root/dist/cli.js" start --project-dir "$work/project" >"$work/on.log" 2>&1 & pids+=($!); pid_on=$!
wait_http "http://127.0.0.1:$on/health" || { tail -20 "$work/on.log"; exit 1; }
psql_ -f "$bench/prelude.sql" -f "$bench/fixture.sql"
psql_ -c "notify pgrst, 'reload schema'"; sleep 2

user=00000000-0000-4000-8000-000000000001
token=$(cd "$root" && node --input-type=module -e "import { SignJWT } from 'jose'; console.log(await new SignJWT({ role: 'authenticated', sub: '$user', aud: 'authenticated' }).setProtectedHeader({ alg: 'HS256' }).setIssuedAt().setExpirationTime('2h').sign(new TextEncoder().encode('$secret')))")
export POST_ID=$(psql_ -At -c "select id from posts where author_id = '$user' and published limit 1")
feed='/rest/v1/posts?select=id,title,created_at,author:profiles(id,username)&published=eq.true&order=created_at.desc&limit=20'
for p in $off $on; do
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "http://127.0.0.1:$p$feed")" = 200 ] || { echo "feed not answered on port $p" >&2; exit 1; }
done

# As ../shared/bench/run.sh measures: "<requests/s> <server CPU microseconds per request>".
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
measure() { local pid=$1 secs=$2; shift 2
  local before after out; before=$(cpu_ticks "$pid")
  out=$(wrk -t1 -c"$CONNS" -d"${secs}s" -H "Authorization: Bearer $token" "$@")
  after=$(cpu_ticks "$pid")
  echo "$out" | awk -v t=$((after - before)) -v hz="$(getconf CLK_TCK)" \
    '/requests in/ {n=$1} /Requests\/sec/ {r=int($2)} END {printf "%d %d\n", r, (n ? t * 1e6 / hz / n : 0)}'; }
median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
declare -A PID=([off]=$pid_off [on]=$pid_on) PORTOF=([off]=$off [on]=$on)
for n in off on; do
  measure "${PID[$n]}" 2 "http://127.0.0.1:${PORTOF[$n]}$feed" >/dev/null
  measure "${PID[$n]}" 2 -s "$bench/comment.lua" "http://127.0.0.1:${PORTOF[$n]}/rest/v1/comments" >/dev/null
done
declare -A FR FC CR CC
for round in $(seq 1 "$ROUNDS"); do
  # Alternate which goes first, so neither always follows the other's load.
  order="off on"; [ $((round % 2)) = 0 ] && order="on off"
  for n in $order; do
    read -r r c < <(measure "${PID[$n]}" "$DURATION" "http://127.0.0.1:${PORTOF[$n]}$feed"); FR[$n]+=" $r"; FC[$n]+=" $c"
    read -r r c < <(measure "${PID[$n]}" "$DURATION" -s "$bench/comment.lua" "http://127.0.0.1:${PORTOF[$n]}/rest/v1/comments"); CR[$n]+=" $r"; CC[$n]+=" $c"
  done
done
echo "on: metrics, and tracing sampling ${SAMPLE_RATIO:-0.1, the server default} of requests"
echo "observation  feed_rps feed_cpu_us  comment_rps comment_cpu_us   (medians of $ROUNDS rounds, $CONNS connections, ${DURATION}s each)"
declare -A F C FU CU
for n in off on; do
  F[$n]=$(median ${FR[$n]}); FU[$n]=$(median ${FC[$n]}); C[$n]=$(median ${CR[$n]}); CU[$n]=$(median ${CC[$n]})
  printf "%-12s %8s %11s  %11s %14s   (rounds: feed%s; comment%s)\n" "$n" "${F[$n]}" "${FU[$n]}" "${C[$n]}" "${CU[$n]}" "${FR[$n]}" "${CR[$n]}"
done
awk -v f1="${F[on]}" -v f0="${F[off]}" -v c1="${C[on]}" -v c0="${C[off]}" -v fu1="${FU[on]}" -v fu0="${FU[off]}" -v cu1="${CU[on]}" -v cu0="${CU[off]}" \
  'BEGIN { printf "throughput on/off: feed=%.3f comment=%.3f (target >= 0.95)\ncpu-per-request on/off: feed=%.3f comment=%.3f\n", f1/f0, c1/c0, fu1/fu0, cu1/cu0 }'
# Proof the "on" server observed: its spans reached the collector, its metrics count the feed.
service=$(cd "$root" && JWT_SECRET=$secret DATABASE_URL="postgres://postgres@127.0.0.1:$pgport/postgres" node dist/cli.js keys 2>/dev/null | awk '/service_role/ {print $NF}')
sleep 6
echo "collector received: $(curl -s "http://127.0.0.1:$sink/count")"
counted=$(curl -s -H "apikey: $service" "http://127.0.0.1:$on/metrics" | grep -E '^groundwork_http_requests_total[{]family="rest",method="GET",status="200"[}]' || true)
echo "metrics of the on server: ${counted:-not read}"
