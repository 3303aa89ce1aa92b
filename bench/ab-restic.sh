#!/usr/bin/env bash
# A/B of gateway variants (environment settings or binaries) against rest-server 0.14.0 in the same
# interleaved rounds: restic init + backup + restore of the data set restic-bench.sh generates, with
# the server's CPU seconds (/proc) and its context switches (perf stat attached after ready).
#
#   VARIANTS="base|| inline|GATEWAY_EXP_INLINE=1|" REPEAT=3 bench/ab-restic.sh
#
# VARIANTS: space-separated NAME|ENV (comma-separated VAR=VALUE)|BINARY (empty: $GATEWAY). The name
# "rest-server" is added to every round. Only 127.0.0.1; every process started is stopped by its PID.
set -euo pipefail
# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
BENCH_TAG=ab-restic
cd "$ROOT"
SIZE_MIB=${SIZE_MIB:-400}
SEED=${SEED:-42}
REPEAT=${REPEAT:-3}
WORK=${BENCH_DIR:-$ROOT/bench/out}
DATA=$WORK/dataset-$SIZE_MIB-$SEED
GATEWAY=${GATEWAY:-$ROOT/dist/gateway}
REST_SERVER=${REST_SERVER:-$ROOT/../shared/tools/rest-server-0.14.0}
PERF=${PERF:-$(command -v perf || true)}
export RESTIC_PASSWORD=bench-password
[ -f "$DATA/.complete" ] || die "no data set at $DATA (run restic-bench.sh with SIZE_MIB=$SIZE_MIB once)"
DATA_BYTES=$(du -sb "$DATA/tree" | cut -f1)
read -r -a VARS <<<"${VARIANTS:-base||}"
VARS+=("rest-server||")
declare -A CPU AFTER BACKUP RESTORE CS USER SYS
log "load average before: $(loadavg)"
for round in $(seq 1 "$REPEAT"); do
  for v in "${VARS[@]}"; do
    IFS='|' read -r name envs bin <<<"$v"
    bin=${bin:-$GATEWAY}
    repo=$WORK/ab-repo-$name run=$WORK/ab-run-$name
    rm -rf "$repo" "$run"; mkdir -p "$repo" "$run"
    PORT=$(free_port)
    if [ "$name" = rest-server ]; then
      cmd=("$REST_SERVER" --path "$repo" --listen "127.0.0.1:$PORT" --no-auth)
    else
      envargs=(); IFS=',' read -r -a envargs <<<"$envs"
      cmd=(env "${envargs[@]}" "$bin" serve restic "local:$repo" --no-auth --addr "127.0.0.1:$PORT")
    fi
    "${cmd[@]}" >"$run/server.log" 2>&1 &
    pid=$!; PIDS+=("$pid")
    wait_port "$PORT" || { cat "$run/server.log" >&2; die "$name did not listen"; }
    ready=$(cpu_seconds "$pid")
    perf_pid=
    if [ -n "$PERF" ]; then
      "$PERF" stat -e context-switches,task-clock -p "$pid" -x, -o "$run/perf.csv" 2>/dev/null &
      perf_pid=$!; PIDS+=("$perf_pid")
    fi
    export RESTIC_CACHE_DIR=$run/cache
    restic -r "rest:http://127.0.0.1:$PORT/" init -q >/dev/null
    t0=$(now); restic -r "rest:http://127.0.0.1:$PORT/" backup -q "$DATA/tree" >/dev/null; t1=$(now)
    b=$(elapsed "$t0" "$t1")
    t0=$(now); restic -r "rest:http://127.0.0.1:$PORT/" restore latest -q --target "$run/restore" >/dev/null; t1=$(now)
    r=$(elapsed "$t0" "$t1")
    cpu=$(cpu_seconds "$pid") user=$(user_seconds "$pid") sys=$(sys_seconds "$pid")
    restored=$(du -sb "$run/restore$DATA/tree" | cut -f1)
    [ "$restored" = "$DATA_BYTES" ] || die "$name: restored $restored bytes, expected $DATA_BYTES"
    cs=n/a
    if [ -n "$perf_pid" ]; then
      kill -INT "$perf_pid" 2>/dev/null || true
      wait "$perf_pid" 2>/dev/null || true
      kept=(); for p in "${PIDS[@]}"; do [ "$p" = "$perf_pid" ] || kept+=("$p"); done; PIDS=("${kept[@]}")
      cs=$(awk -F, '$3 == "context-switches" { print $1 }' "$run/perf.csv")
    fi
    stop_pid "$pid"
    rm -rf "$repo" "$run/restore"
    after=$(awk -v a="$cpu" -v b="$ready" 'BEGIN { printf "%.2f", a - b }')
    CPU[$name]+="$cpu " AFTER[$name]+="$after " BACKUP[$name]+="$b " RESTORE[$name]+="$r " CS[$name]+="$cs " USER[$name]+="$user " SYS[$name]+="$sys "
    log "round $round $name: cpu ${cpu}s (after ready ${after}s, user $user sys $sys) cs $cs backup ${b}s restore ${r}s load $(loadavg)"
  done
done
rs_cpu=$(median "${CPU[rest-server]}")
rs_b=$(median "${BACKUP[rest-server]}") rs_r=$(median "${RESTORE[rest-server]}")
{
  echo "ab-restic $(date -u +%Y-%m-%dT%H:%MZ), $((DATA_BYTES >> 20)) MiB, medians of $REPEAT; load after: $(loadavg)"
  printf '%-14s %6s %6s %6s %6s %8s %7s %7s %6s %6s %6s\n' variant cpu_s vs_rs after user/sys cs backup restore b/rs r/rs ""
  for v in "${VARS[@]}"; do
    IFS='|' read -r name _ _ <<<"$v"
    c=$(median "${CPU[$name]}") b=$(median "${BACKUP[$name]}") r=$(median "${RESTORE[$name]}")
    printf '%-14s %6s %6s %6s %9s %8s %7s %7s %6s %6s  [%s]\n' "$name" "$c" "$(ratio "$c" "$rs_cpu")" "$(median "${AFTER[$name]}")" \
      "$(median "${USER[$name]}")/$(median "${SYS[$name]}")" "$(median "${CS[$name]}")" "$b" "$r" "$(ratio "$b" "$rs_b")" "$(ratio "$r" "$rs_r")" "${CPU[$name]% }"
  done
} | tee "$WORK/ab-$(date -u +%Y%m%dT%H%M%SZ).txt"
