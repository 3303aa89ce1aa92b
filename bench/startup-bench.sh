#!/usr/bin/env bash
# Start-up time of `gateway serve restic`: exec -> first answered request, for `--stdio` (HTTP/2 on
# stdin/stdout, what restic's rclone: backend starts once per restic command) and for a server
# listening on 127.0.0.1, next to rest-server 0.14.0 and `rclone serve restic` (target: 100 ms).
#
#   bench/startup-bench.sh                      # dist/gateway (packaging/publish.sh builds it)
#   GATEWAY=src/Cli/bin/Release/net10.0/gateway bench/startup-bench.sh   # any other gateway binary
#   REPEAT=21 GATEWAY_ENV="DOTNET_TieredCompilation=1" bench/startup-bench.sh  # experiments
#
# bench/startup-probe.py does the timing: it takes the time just before the exec, then sends one
# HEAD /config (HTTP/1.1 polled every 2 ms on the port; HTTP/2 prior knowledge on the pipe) and
# stops the clock at the first byte of the answer (any status; the repository is empty). It also
# reads the server's user+sys CPU time at that moment: on a shared machine the wall time grows with
# the load, the CPU time much less, so both are printed (medians of REPEAT interleaved rounds,
# default 11). Every process is stopped by its PID; only 127.0.0.1 is used.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
BENCH_TAG=startup-bench
MEDIAN_FMT=%.1f

cd "$ROOT"
REPEAT=${REPEAT:-11}
GATEWAY=${GATEWAY:-$ROOT/dist/gateway}
PROBE=$ROOT/bench/startup-probe.py
require_tools "apt-get install -y rclone" rclone python3
[ -x "$GATEWAY" ] || die "$GATEWAY not found: run packaging/publish.sh (or set GATEWAY to a gateway binary)"
REST_SERVER=${REST_SERVER:-}
for d in "${SHARED_TOOLS_DIR:-}" "$ROOT/../shared/tools" "$ROOT/../../shared/tools"; do
  [ -z "$REST_SERVER" ] && [ -n "$d" ] && [ -x "$d/rest-server-0.14.0" ] && REST_SERVER=$d/rest-server-0.14.0
done
[ -n "$REST_SERVER" ] || die "rest-server-0.14.0 not found: set SHARED_TOOLS_DIR (or REST_SERVER) to it (see shared/tools/README.md)"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/startup-bench.XXXXXX")
CLEANUP_DIRS+=("$WORK")
REPO=$WORK/repo
mkdir -p "$REPO"
export STARTUP_PROBE_LOG=$WORK/servers.log
read -r -a GW_ENV <<<"${GATEWAY_ENV:-}"

probe() {  # probe KEY MODE... -- CMD...: one measurement, appended to WALL[KEY] and CPU[KEY]
  local key=$1 out; shift
  out=$(python3 "$PROBE" "$@") || { tail -n 20 "$STARTUP_PROBE_LOG" >&2; die "$key: no answer"; }
  WALL[$key]+="${out% *} " CPU[$key]+="${out#* } "
}

declare -A WALL CPU
LOAD_BEFORE=$(loadavg)
log "$REPEAT rounds; gateway: $GATEWAY${GATEWAY_ENV:+ ($GATEWAY_ENV)}"
for round in $(seq 1 "$REPEAT"); do
  probe gw-stdio stdio -- env "${GW_ENV[@]}" "$GATEWAY" serve restic "local:$REPO" --stdio
  port=$(free_port); probe gw-tcp tcp "$port" -- env "${GW_ENV[@]}" "$GATEWAY" serve restic "local:$REPO" --no-auth --addr "127.0.0.1:$port"
  port=$(free_port); probe rs-tcp tcp "$port" -- "$REST_SERVER" --path "$REPO" --listen "127.0.0.1:$port" --no-auth
  probe rc-stdio stdio -- env RCLONE_CONFIG=/dev/null rclone serve restic "$REPO" --stdio
  port=$(free_port); probe rc-tcp tcp "$port" -- env RCLONE_CONFIG=/dev/null rclone serve restic "$REPO" --addr "127.0.0.1:$port"
  [ $((round % 5)) -ne 0 ] || log "round $round done"
done

row() { printf '%-34s %10s %10s  %s\n' "$@"; }
line() {  # line LABEL KEY [TARGET]
  local wall cpu verdict=-
  # shellcheck disable=SC2086 # the values are space-separated numbers
  wall=$(median ${WALL[$2]}) cpu=$(median ${CPU[$2]})
  [ -z "${3:-}" ] || verdict=$(awk -v m="$wall" -v t="$3" 'BEGIN { print (m <= t ? "ok" : "MISSED") }')
  row "$1" "$wall" "$cpu" "$verdict"
}
echo "startup-bench $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(cpu_model)); medians of $REPEAT rounds"
echo "gateway: $GATEWAY${GATEWAY_ENV:+ with $GATEWAY_ENV}; $(rclone version | head -n1)"
echo "load average before: $LOAD_BEFORE, after: $(loadavg)"
echo
row "exec -> first answer" "wall ms" "CPU ms" "target 100 ms"
line "gateway serve restic --stdio" gw-stdio 100
line "gateway serve restic, listening" gw-tcp 100
line "rest-server 0.14.0, listening" rs-tcp
line "rclone serve restic --stdio" rc-stdio
line "rclone serve restic, listening" rc-tcp
