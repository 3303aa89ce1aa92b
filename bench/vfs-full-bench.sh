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

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
ELAPSED_FMT=%.3f MEDIAN_FMT=%.3f STOP_WAIT_TENTHS=100

cd "$ROOT"
SIZE_MIB=${SIZE_MIB:-1024}
PASS_GIB=${PASS_GIB:-10}
REPEAT=${REPEAT:-3}
BWLIMIT=${BWLIMIT:-200M}
WORK=${BENCH_DIR:-$ROOT/bench/out}/vfs

# rclone's --bwlimit sizes (binary suffixes, a bare number is KiB) -> bytes per second
rate_bytes() { awk -v r="$1" 'BEGIN { n = r + 0; s = toupper(substr(r, length(r))); m = 1024
  if (s == "B") m = 1; else if (s == "K") m = 1024; else if (s == "M") m = 1048576; else if (s == "G") m = 1073741824
  printf "%.0f", n * m }'; }
metric() { curl -sf "http://127.0.0.1:$1/_gateway/metrics" | awk -v m="$2" '$1 == m { print $2 }'; }

require_tools "" curl python3 dotnet
LOAD_BEFORE=$(loadavg)

build_gateway

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

# second_read WHERE -> SECOND_READ_S: get_seconds once more on $PORT; that read must come from the cache
# (the misses counter stays, the hits counter goes up). WHERE completes the error messages. Runs in this
# shell, not in $(...), so that set -e covers every step.
second_read() {
  local misses hits
  misses=$(metric "$PORT" gateway_vfs_cache_misses_total)
  hits=$(metric "$PORT" gateway_vfs_cache_hits_total)
  SECOND_READ_S=$(get_seconds "$PORT")
  [ "$(metric "$PORT" gateway_vfs_cache_misses_total)" = "$misses" ] || die "the second read$1 fetched from the backend (misses went up)"
  [ "$(metric "$PORT" gateway_vfs_cache_hits_total)" -gt "$hits" ] || die "the second read$1 was not counted as a cache hit"
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
  second_read ""
  SECOND_S+=" $SECOND_READ_S"
  stop_pid "$GW_PID"

  rm -rf "$WORK/cache"
  start_gateway "slow-$round" --vfs-cache-mode full --cache-dir "$WORK/cache" --bwlimit "$BWLIMIT"
  SLOW_FIRST_S+=" $(get_seconds "$PORT")"
  second_read " over the slowed backend"
  SLOW_SECOND_S+=" $SECOND_READ_S"
  stop_pid "$GW_PID"
done
CAT_M=$(median "$CAT_S"); OFF_M=$(median "$OFF_S")
FIRST_M=$(median "$FIRST_S"); SECOND_M=$(median "$SECOND_S")
SLOW_FIRST_M=$(median "$SLOW_FIRST_S"); SLOW_SECOND_M=$(median "$SLOW_SECOND_S")
FLOOR_S=$(awk -v b="$BYTES" -v r="$(rate_bytes "$BWLIMIT")" 'BEGIN { printf "%.3f", b / r }')
rm -rf "$WORK/cache"

# ---------------------------------------------------------------- (2) writes mode, peak RSS
log "PUT $PASS_GIB x 1 GiB through the cache (mode writes, write-back 0s)"
head -c $((1024 * 1024 * 1024)) /dev/urandom >"$WORK/one-gib.bin"
mkdir -p "$WORK/cache"
start_gateway writes --vfs-cache-mode writes --vfs-write-back 0s --cache-dir "$WORK/cache"
HWM_START=$(vm_kib "$GW_PID" VmHWM)
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
HWM_KB=$(vm_kib "$GW_PID" VmHWM)
RSS_KB=$(vm_kib "$GW_PID" VmRSS)
COMPLETED=$(metric "$PORT" gateway_vfs_cache_uploads_completed_total)
stop_pid "$GW_PID"
[ "$COMPLETED" -ge "$PASS_GIB" ] || die "only $COMPLETED of $PASS_GIB uploads completed"
rm -rf "$WORK/cache" "$WORK/one-gib.bin" "$WORK/root/bucket"/pass-*.bin

LOAD_AFTER=$(loadavg)
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
