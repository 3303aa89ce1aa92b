# shellcheck shell=bash
# Helpers shared by the bench/*-bench.sh scripts; each sources it first: . "$(dirname "$0")/lib.sh"
#
# Sourcing sets ROOT (the repository root), CLK_TCK, PIDS=() and an EXIT trap that stops every PID in
# PIDS (only what the script started, each by its PID) and removes the folders in CLEANUP_DIRS. It
# also drops the proxy variables (every bench talks to 127.0.0.1 only) and quiets dotnet.
# A script may set, after sourcing (the defaults in brackets):
#   BENCH_TAG         the [bench] prefix of log lines
#   ELAPSED_FMT       printf format of elapsed [%.2f]
#   MEDIAN_FMT        printf format of median's mean of the two middle values of an even count [%.2f];
#                     empty prints awk's default (%.6g)
#   STOP_WAIT_TENTHS  how long stop_pid waits after SIGTERM before SIGKILL, in 0.1 s [50]
#   CLEANUP_DIRS      folders the EXIT trap removes [none]
# BENCH_NO_BUILD=1 in the environment skips the Release build of the gateway (repeated runs).

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CLK_TCK=$(getconf CLK_TCK)
BENCH_TAG=bench
ELAPSED_FMT=%.2f
MEDIAN_FMT=%.2f
STOP_WAIT_TENTHS=50
CLEANUP_DIRS=()
PIDS=()
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
# No diagnostics IPC socket: each .NET process would leave /tmp/dotnet-diagnostic-* behind.
export DOTNET_EnableDiagnostics=0
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy

log() { printf '[%s] %s\n' "$BENCH_TAG" "$*" >&2; }
die() { log "$*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" -v f="${3:-$ELAPSED_FMT}" 'BEGIN { printf f, b - a }'; }  # elapsed T0 T1 [FORMAT]
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
# MB/s (10^6 bytes) from a byte count and seconds.
mbps() { awk -v bytes="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", bytes / s / 1e6; else print "n/a" }'; }
# median V... (a V may hold several values separated by spaces): an odd count prints the middle value as
# given, an even count the mean of the two middle ones in MEDIAN_FMT.
median() {
  printf '%s\n' "$@" | tr -s ' ' '\n' | sort -g | awk -v f="$MEDIAN_FMT" 'NF { v[++n] = $1 } END {
    if (n % 2) print v[(n + 1) / 2]; else if (f == "") print (v[n / 2] + v[n / 2 + 1]) / 2; else printf f "\n", (v[n / 2] + v[n / 2 + 1]) / 2 }'
}
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }
cpu_model() { sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -n1; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
wait_port() {  # wait_port PORT: up to 30 s for 127.0.0.1:PORT to accept a connection
  for _ in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  return 1
}

# user+sys, user, sys CPU seconds of a running process (fields 14 and 15 of /proc/PID/stat, after the comm field).
cpu_seconds() { sed 's/^.*) //' "/proc/$1/stat" | awk -v t="$CLK_TCK" '{ printf "%.2f", ($12 + $13) / t }'; }
user_seconds() { sed 's/^.*) //' "/proc/$1/stat" | awk -v t="$CLK_TCK" '{ printf "%.2f", $12 / t }'; }
sys_seconds() { sed 's/^.*) //' "/proc/$1/stat" | awk -v t="$CLK_TCK" '{ printf "%.2f", $13 / t }'; }
vm_kib() { awk -v k="$2:" '$1 == k { print $2 }' "/proc/$1/status"; }  # vm_kib PID VmHWM|VmRSS|...

stop_pid() {  # SIGTERM, up to STOP_WAIT_TENTHS x 0.1 s, then SIGKILL; forgets the PID
  local pid=$1 p kept=()
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 "$STOP_WAIT_TENTHS"); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  for p in "${PIDS[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
  PIDS=("${kept[@]}")
}
cleanup() {  # only what this script started
  local p
  for p in "${PIDS[@]}"; do stop_pid "$p"; done
  [ "${#CLEANUP_DIRS[@]}" -eq 0 ] || rm -rf "${CLEANUP_DIRS[@]}"
}
trap cleanup EXIT

require_tools() {  # require_tools INSTALL_HINT TOOL...; an empty hint is left out of the message
  local hint=$1 tool; shift
  for tool in "$@"; do
    command -v "$tool" >/dev/null || die "$tool is not installed${hint:+ ($hint)}"
  done
}

build_gateway() {  # Release build of src/Cli -> GATEWAY (BENCH_NO_BUILD=1: use the binary already built; GATEWAY_BIN=PATH: that binary, e.g. a copy of an older build)
  if [ -n "${GATEWAY_BIN:-}" ]; then
    GATEWAY=$GATEWAY_BIN
    [ -x "$GATEWAY" ] || die "GATEWAY_BIN=$GATEWAY is not an executable"
    return
  fi
  if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
    log "building the gateway (Release)"
    dotnet build "$ROOT/src/Cli" -c Release -nologo -v quiet </dev/null >/dev/null
  fi
  GATEWAY=$ROOT/src/Cli/bin/Release/net10.0/gateway
  [ -x "$GATEWAY" ] || die "$GATEWAY was not built"
}
