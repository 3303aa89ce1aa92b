#!/usr/bin/env bash
# Load and slow clients (issue 12, "A reliability suite of our own"): for each frontend (`serve s3` with
# SigV4 and `serve restic`), on the local backend:
# (1) CLIENTS (64) concurrent keep-alive clients for DURATION (60) s of mixed small GET/PUT/HEAD/LIST
#     (bench/loadgen.py mixed: 40 % GET, 20 % each PUT/HEAD/LIST, 1-16 KiB objects). Targets: 0 errors;
#     p50/p99 reported; RSS flat: VmHWM at the end <= 1.5x VmHWM at the end of the warm-up (WARMUP, 10 s;
#     latencies are also counted from then on).
# (2) SLOW (50) clients sending a GET's header bytes at 1 byte/s while one normal client makes
#     sequential GETs for SLOW_SECONDS (20); the same client alone before, as the reference (bench/loadgen.py
#     slow). Target: the slow clients do not delay it; verdict "ok" when its p50 with them is <= 1.5x
#     its p50 alone (+1 ms for timer noise) and it had no errors.
#
#   bench/load.sh                                   # 60 s per frontend, 64 clients
#   DURATION=20 WARMUP=5 SLOW_SECONDS=10 bench/load.sh   # a quick run
#   FRONTENDS=s3 bench/load.sh                      # one frontend only
#
# The load generator runs on the same cores as the gateway (a Python client: on a small machine it, not
# the gateway, may set the request rate). Only 127.0.0.1 is used; every process this script starts is
# stopped by its PID. Not part of the CI test suite. Needs: python3, dotnet.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
BENCH_TAG=load

cd "$ROOT"
CLIENTS=${CLIENTS:-64}
DURATION=${DURATION:-60}
WARMUP=${WARMUP:-10}
SLOW=${SLOW:-50}
SLOW_SECONDS=${SLOW_SECONDS:-20}
FRONTENDS=${FRONTENDS:-s3 restic}
WORK=${BENCH_DIR:-$ROOT/bench/out}/load
CLEANUP_DIRS=("$WORK/root")
# SigV4 keys of the bench's own throwaway gateway (not secrets of anything real).
export GATEWAY_BENCH_ACCESS_KEY=load-access GATEWAY_BENCH_SECRET_KEY=load-secret-key

require_tools "" python3 dotnet
LOAD_BEFORE=$(loadavg)
build_gateway
mkdir -p "$WORK"

start_gateway() {  # start_gateway FRONTEND -> GW_PID GW_PORT (a fresh root each time)
  rm -rf "$WORK/root"; mkdir -p "$WORK/root"
  GW_PORT=$(free_port)
  local auth=(--no-auth)
  [ "$1" = s3 ] && auth=(--auth-key "$GATEWAY_BENCH_ACCESS_KEY,$GATEWAY_BENCH_SECRET_KEY")
  # shellcheck disable=SC2086 # GATEWAY_FLAGS is a word list on purpose
  "$GATEWAY" serve "$1" "local:$WORK/root" --addr "127.0.0.1:$GW_PORT" "${auth[@]}" ${GATEWAY_FLAGS:-} >"$WORK/gateway-$1.log" 2>&1 &
  GW_PID=$!; PIDS+=("$GW_PID")
  wait_port "$GW_PORT" || die "the gateway did not start: $(cat "$WORK/gateway-$1.log")"
}

STAMP=$(date -u +%Y%m%dT%H%M%SZ)
declare -A MIXED SLOWR CPU
for fe in $FRONTENDS; do
  start_gateway "$fe"
  log "$fe: $CLIENTS clients for ${DURATION}s (warm-up ${WARMUP}s)"
  MIXED[$fe]=$(python3 "$ROOT/bench/loadgen.py" mixed --frontend "$fe" --url "http://127.0.0.1:$GW_PORT" --pid "$GW_PID" \
    --clients "$CLIENTS" --duration "$DURATION" --warmup "$WARMUP")
  CPU[$fe]=$(cpu_seconds "$GW_PID")
  log "$fe: ${MIXED[$fe]}"
  stop_pid "$GW_PID"

  start_gateway "$fe"
  log "$fe: $SLOW slow clients, normal client ${SLOW_SECONDS}s alone then ${SLOW_SECONDS}s with them"
  SLOWR[$fe]=$(python3 "$ROOT/bench/loadgen.py" slow --frontend "$fe" --url "http://127.0.0.1:$GW_PORT" \
    --slow "$SLOW" --seconds "$SLOW_SECONDS")
  log "$fe: ${SLOWR[$fe]}"
  stop_pid "$GW_PID"
done

# ---------------------------------------------------------------- summary
row() { printf '%-8s %-34s %10s %8s  %s\n' "$@"; }
{
  echo "load $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(cpu_model)); $CLIENTS clients x ${DURATION}s (warm-up ${WARMUP}s), $SLOW slow clients x ${SLOW_SECONDS}s"
  echo "load average before: $LOAD_BEFORE, after: $(loadavg)${GATEWAY_FLAGS:+; gateway flags: $GATEWAY_FLAGS}"
  echo
  row "frontend" "measure" "value" "target" "verdict"
  for fe in $FRONTENDS; do
    python3 - "$fe" "${MIXED[$fe]}" "${SLOWR[$fe]}" "${CPU[$fe]}" <<'EOF'
import json, sys
fe, m, s, cpu = sys.argv[1], json.loads(sys.argv[2]), json.loads(sys.argv[3]), sys.argv[4]
def row(measure, value, target="-", verdict="-"):
    print(f"{fe:<8} {measure:<34} {value:>10} {target:>8}  {verdict}")
row("errors", m["errors"], "0", "ok" if m["errors"] == 0 else "MISSED " + "; ".join(m["error_samples"]))
row("requests/s (after warm-up)", m["req_per_s"])
row("p50 / p99 ms, all requests", f'{m["p50_ms"]}/{m["p99_ms"]}')
for op, v in m["ops"].items():
    row(f"  {op} n, p50 / p99 ms", f'{v["n"]} {v["p50_ms"]}/{v["p99_ms"]}')
row("VmHWM MiB warm-up -> end", f'{m["vmhwm_warm_mib"]}->{m["vmhwm_end_mib"]}', "<=1.5x",
    "ok" if m["hwm_ratio"] is not None and m["hwm_ratio"] <= 1.5 else "MISSED")
row("  ratio; VmRSS min..max MiB", f'{m["hwm_ratio"]}; {m["vmrss_after_warmup_min_max_mib"][0]}..{m["vmrss_after_warmup_min_max_mib"][1]}')
row("gateway CPU s (whole run)", cpu)
a, w = s["alone"], s["with_slow"]
delayed = w["errors"] > 0 or w["p50_ms"] > 1.5 * a["p50_ms"] + 1
row("normal GET p50 ms alone / +slow", f'{a["p50_ms"]}/{w["p50_ms"]}', "<=1.5x", "MISSED" if delayed else "ok")
row("normal GET p99 ms alone / +slow", f'{a["p99_ms"]}/{w["p99_ms"]}')
row("  requests alone / +slow; errors", f'{a["n"]}/{w["n"]}; {a["errors"]}/{w["errors"]}')
row("slow conns opened / closed by srv", f'{s["slow_opened"]}/{s["slow_closed_by_server"]}', "-", "closed after " + ", ".join(map(str, s["slow_closed_after_s"])) + " s" if s["slow_closed_after_s"] else "-")
EOF
  done
} | tee "$WORK/summary-$STAMP.txt"
