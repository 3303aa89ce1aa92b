#!/usr/bin/env bash
# VFS cache: (1) mode full reading one object twice, also over a slowed backend, (2) peak RSS while
# data passes through the cache in mode writes.
#
#   bench/vfs-full-bench.sh                  # 1 GiB object, 10 GiB through the cache, Release build
#   SIZE_MIB=256 PASS_GIB=2 bench/vfs-full-bench.sh   # quick run
#   BWLIMIT=100M bench/vfs-full-bench.sh     # the slowed backend's rate (default 200M = 200 MiB/s)
#
# (1) `gateway serve s3 local:ROOT --vfs-cache-mode full` serves a SIZE_MIB object; curl GETs it twice.
#     The first read fetches from the backend into the cache, the second is served from the cache. The
#     reference is the same GET from `--vfs-cache-mode off` (the local backend streams the file from disk
#     through the same HTTP path), so the ratio is what the cache costs over reading the local disk;
#     target ≤ 1.2×. `cat FILE > /dev/null` is shown for scale (no HTTP at all). Each read runs REPEAT
#     times, interleaved, medians are reported; the page cache is warm for all of them (the box has more
#     RAM than the object), so this compares CPU paths, not disks.
#     Slowed backend (the case mode full is for): the same two reads with `--bwlimit BWLIMIT`, which
#     limits every byte between the gateway and the backend (src/Vfs/Throttle) but not reads served
#     from the cache. The first read is bounded by the limit (its floor SIZE/BWLIMIT is printed), the
#     second must not touch the backend (same metric checks) and is compared with the mode-off read
#     of the local disk: target <= 1.2x.
# (2) `serve s3 --vfs-cache-mode writes --vfs-write-back 0s` takes PASS_GIB PUTs of 1 GiB each (curl -T)
#     while it uploads them in the background; after the queue drained, VmHWM of the gateway (its peak
#     resident set) is read from /proc/PID/status. Target: flat, independent of the amount passed.
# Only 127.0.0.1 is used; every process this script starts is stopped by its PID.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
SIZE_MIB=${SIZE_MIB:-1024}
PASS_GIB=${PASS_GIB:-10}
REPEAT=${REPEAT:-3}
BWLIMIT=${BWLIMIT:-200M}
WORK=${BENCH_DIR:-$ROOT/bench/out}/vfs
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY ALL_PROXY all_proxy

log() { printf '[bench] %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }
now() { date +%s.%N; }
elapsed() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
mbps() { awk -v bytes="$1" -v s="$2" 'BEGIN { if (s > 0) printf "%.0f", bytes / s / 1e6; else print "n/a" }'; }
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else printf "%.3f\n", (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
wait_port() {
  local i
  for i in $(seq 1 300); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done
  return 1
}
# rclone's --bwlimit sizes (binary suffixes, a bare number is KiB) -> bytes per second
rate_bytes() { awk -v r="$1" 'BEGIN { n = r + 0; s = toupper(substr(r, length(r))); m = 1024
  if (s == "B") m = 1; else if (s == "K") m = 1024; else if (s == "M") m = 1048576; else if (s == "G") m = 1073741824
  printf "%.0f", n * m }'; }
metric() { curl -sf "http://127.0.0.1:$1/_gateway/metrics" | awk -v m="$2" '$1 == m { print $2 }'; }

PIDS=()
stop_pid() {
  local pid=$1
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  local kept=() p
  for p in "${PIDS[@]}"; do [ "$p" = "$pid" ] || kept+=("$p"); done
  PIDS=("${kept[@]}")
}
cleanup() { local p; for p in "${PIDS[@]}"; do stop_pid "$p"; done; }  # only what this script started
trap cleanup EXIT

for tool in curl python3 dotnet; do
  command -v "$tool" >/dev/null || die "$tool is not installed"
done
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

log "building the gateway (Release)"
dotnet build "$ROOT/src/Cli" -c Release -nologo -v quiet </dev/null >/dev/null
GATEWAY=$ROOT/src/Cli/bin/Release/net10.0/gateway
[ -x "$GATEWAY" ] || die "$GATEWAY was not built"

rm -rf "$WORK"
mkdir -p "$WORK/root/bucket" "$WORK/cache"
OBJECT=$WORK/root/bucket/object.bin
BYTES=$((SIZE_MIB * 1024 * 1024))
log "writing a $SIZE_MIB MiB random object"
head -c "$BYTES" /dev/urandom >"$OBJECT"

# start_gateway LOGNAME ARGS... -> sets PORT and GW_PID
start_gateway() {
  local name=$1; shift
  PORT=$(free_port)
  "$GATEWAY" serve s3 "local:$WORK/root" --no-auth --prometheus --prometheus-no-auth --addr "127.0.0.1:$PORT" "$@" \
    >"$WORK/$name.out" 2>"$WORK/$name.err" </dev/null &
  GW_PID=$!
  PIDS+=("$GW_PID")
  wait_port "$PORT" || die "gateway ($name) did not start: $(cat "$WORK/$name.err")"
}
get_seconds() {
  local t0 t1
  t0=$(now)
  curl -sf -o /dev/null "http://127.0.0.1:$1/bucket/object.bin" || die "GET failed on port $1"
  t1=$(now)
  elapsed "$t0" "$t1"
}

# ---------------------------------------------------------------- (1) mode full, two reads
cat "$OBJECT" >/dev/null  # warm the page cache
OFF_S="" CAT_S="" FIRST_S="" SECOND_S="" SLOW_FIRST_S="" SLOW_SECOND_S=""
for round in $(seq 1 "$REPEAT"); do
  log "round $round/$REPEAT"
  t0=$(now); cat "$OBJECT" >/dev/null; t1=$(now); CAT_S+=" $(elapsed "$t0" "$t1")"

  start_gateway "off-$round" --vfs-cache-mode off
  get_seconds "$PORT" >/dev/null  # JIT warm-up, same for every target
  OFF_S+=" $(get_seconds "$PORT")"
  stop_pid "$GW_PID"

  rm -rf "$WORK/cache"
  start_gateway "full-$round" --vfs-cache-mode full --cache-dir "$WORK/cache"
  FIRST_S+=" $(get_seconds "$PORT")"
  misses=$(metric "$PORT" gateway_vfs_cache_misses_total)
  hits=$(metric "$PORT" gateway_vfs_cache_hits_total)
  SECOND_S+=" $(get_seconds "$PORT")"
  [ "$(metric "$PORT" gateway_vfs_cache_misses_total)" = "$misses" ] || die "the second read fetched from the backend (misses went up)"
  [ "$(metric "$PORT" gateway_vfs_cache_hits_total)" -gt "$hits" ] || die "the second read was not counted as a cache hit"
  stop_pid "$GW_PID"

  rm -rf "$WORK/cache"
  start_gateway "slow-$round" --vfs-cache-mode full --cache-dir "$WORK/cache" --bwlimit "$BWLIMIT"
  SLOW_FIRST_S+=" $(get_seconds "$PORT")"
  misses=$(metric "$PORT" gateway_vfs_cache_misses_total)
  hits=$(metric "$PORT" gateway_vfs_cache_hits_total)
  SLOW_SECOND_S+=" $(get_seconds "$PORT")"
  [ "$(metric "$PORT" gateway_vfs_cache_misses_total)" = "$misses" ] || die "the second read over the slowed backend fetched from the backend (misses went up)"
  [ "$(metric "$PORT" gateway_vfs_cache_hits_total)" -gt "$hits" ] || die "the second read over the slowed backend was not counted as a cache hit"
  stop_pid "$GW_PID"
done
CAT_M=$(echo "$CAT_S" | median); OFF_M=$(echo "$OFF_S" | median)
FIRST_M=$(echo "$FIRST_S" | median); SECOND_M=$(echo "$SECOND_S" | median)
SLOW_FIRST_M=$(echo "$SLOW_FIRST_S" | median); SLOW_SECOND_M=$(echo "$SLOW_SECOND_S" | median)
FLOOR_S=$(awk -v b="$BYTES" -v r="$(rate_bytes "$BWLIMIT")" 'BEGIN { printf "%.3f", b / r }')
rm -rf "$WORK/cache"

# ---------------------------------------------------------------- (2) writes mode, peak RSS
log "PUT $PASS_GIB x 1 GiB through the cache (mode writes, write-back 0s)"
head -c $((1024 * 1024 * 1024)) /dev/urandom >"$WORK/one-gib.bin"
mkdir -p "$WORK/cache"
start_gateway writes --vfs-cache-mode writes --vfs-write-back 0s --cache-dir "$WORK/cache"
HWM_START=$(awk '/^VmHWM/ { print $2 }' "/proc/$GW_PID/status")
t0=$(now)
for i in $(seq 1 "$PASS_GIB"); do
  curl -sf -o /dev/null -T "$WORK/one-gib.bin" "http://127.0.0.1:$PORT/bucket/pass-$i.bin" || die "PUT $i failed"
  # keep the disk from filling: drop what already reached the backend (the cache keeps its own copy until evicted)
  [ "$i" -le 1 ] || rm -f "$WORK/root/bucket/pass-$((i - 1)).bin"
done
for _ in $(seq 1 1200); do
  [ "$(metric "$PORT" gateway_vfs_cache_dirty_items)" = "0" ] && [ "$(metric "$PORT" gateway_vfs_cache_uploads_in_progress)" = "0" ] && break
  sleep 0.5
done
t1=$(now)
[ "$(metric "$PORT" gateway_vfs_cache_dirty_items)" = "0" ] || die "the upload queue did not drain"
PASS_S=$(elapsed "$t0" "$t1")
HWM_KB=$(awk '/^VmHWM/ { print $2 }' "/proc/$GW_PID/status")
RSS_KB=$(awk '/^VmRSS/ { print $2 }' "/proc/$GW_PID/status")
COMPLETED=$(metric "$PORT" gateway_vfs_cache_uploads_completed_total)
stop_pid "$GW_PID"
[ "$COMPLETED" -ge "$PASS_GIB" ] || die "only $COMPLETED of $PASS_GIB uploads completed"
rm -rf "$WORK/cache" "$WORK/one-gib.bin" "$WORK/root/bucket"/pass-*.bin

LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)
cat <<REPORT

VFS cache benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores, load $LOAD_BEFORE -> $LOAD_AFTER, medians of $REPEAT
(1) $SIZE_MIB MiB object over the local backend, GET with curl, page cache warm
| read | seconds | MB/s |
|---|---|---|
| cat FILE (no HTTP) | $CAT_M | $(mbps "$BYTES" "$CAT_M") |
| mode off (local disk through the gateway) | $OFF_M | $(mbps "$BYTES" "$OFF_M") |
| mode full, first read (fills the cache) | $FIRST_M | $(mbps "$BYTES" "$FIRST_M") |
| mode full, second read (from the cache) | $SECOND_M | $(mbps "$BYTES" "$SECOND_M") |
raw seconds: cat [$CAT_S ] off [$OFF_S ] first [$FIRST_S ] second [$SECOND_S ]
second read / mode off: $(ratio "$SECOND_M" "$OFF_M")x (target <= 1.2x); second read / cat: $(ratio "$SECOND_M" "$CAT_M")x
(1b) the same object over a slowed backend: mode full with --bwlimit $BWLIMIT (floor for a read from the backend: ${FLOOR_S}s)
| read | seconds | MB/s |
|---|---|---|
| mode full, first read (from the slowed backend) | $SLOW_FIRST_M | $(mbps "$BYTES" "$SLOW_FIRST_M") |
| mode full, second read (from the cache) | $SLOW_SECOND_M | $(mbps "$BYTES" "$SLOW_SECOND_M") |
raw seconds: first [$SLOW_FIRST_S ] second [$SLOW_SECOND_S ]
second read / mode off (local disk): $(ratio "$SLOW_SECOND_M" "$OFF_M")x (target <= 1.2x); second / first: $(ratio "$SLOW_SECOND_M" "$SLOW_FIRST_M")x; first / floor: $(ratio "$SLOW_FIRST_M" "$FLOOR_S")x
(2) mode writes, $PASS_GIB GiB PUT and uploaded in ${PASS_S}s: gateway VmHWM $((HWM_KB / 1024)) MiB (at start $((HWM_START / 1024)) MiB), VmRSS after $((RSS_KB / 1024)) MiB
REPORT
