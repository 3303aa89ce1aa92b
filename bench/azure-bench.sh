#!/usr/bin/env bash
# The Azure Blob backend (issue 9): `gateway serve s3 azureblob:` against the Azure SDK straight to the
# same Azurite, and restic through `serve restic azureblob:` next to `serve restic local:`, in one run.
#
#   bench/azure-bench.sh                 # 1 GiB object, 500 x 16 KiB objects, 256 MiB restic data set, 3 rounds
#   SIZE_MIB=256 SMALL_COUNT=200 RESTIC_MIB=128 REPEAT=1 bench/azure-bench.sh    # a quick run
#   GATEWAY_FLAGS='--azureblob-upload-concurrency 4' bench/azure-bench.sh       # experiments
#
# (1) PUT and GET of one SIZE_MIB object: curl through `gateway serve s3 azureblob: --no-auth` vs
#     bench/azblob-direct (Azure.Storage.Blobs 12.30, the SDK the backend uses) straight to Azurite, with
#     the same block size (CHUNK, 4 MiB), block concurrency (CONCURRENCY, 16) and single-put cutoff
#     (4 MiB). GET bytes are discarded on both sides. Target: gateway >= 0.8x direct.
# (2) SMALL_COUNT objects of SMALL_KIB KiB, PUT then GET, PARALLEL (16) at a time: curl --parallel vs
#     the SDK with Parallel.ForEachAsync. No target in the issue; shown for the per-request overhead.
# (3) Gateway peak RSS (VmHWM) after (1) and (2). Target: <= 200 MiB (the bound is chunk_size x
#     (upload_concurrency + 1) = 68 MiB of blocks per upload, plus the runtime).
# (4) restic backup + restore of a RESTIC_MIB data set (bench/gen-dataset.py) through
#     `serve restic azureblob:restic` vs `serve restic local:DIR`: wall times side by side (no target).
# Rounds of (1) and (2) are interleaved REPEAT times, medians in the summary. Azurite (Node) runs on the
# same cores and is the slower party: the ratios measure the gateway's overhead on top of Azurite, not
# Azure. Only 127.0.0.1 is used; every process this script starts is stopped by its PID.
# Needs: npm azurite 3.37.0 (see ./test.sh), curl, restic, python3, dotnet.
# Before the timed transfers the gateway makes one untimed 20 MiB PUT + GET (JIT, connection pools: a
# long-running server is warm; the reference tools start cold, as they do in real use).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
BENCH_TAG=azure-bench MEDIAN_FMT=%.1f

cd "$ROOT"
SIZE_MIB=${SIZE_MIB:-1024}
SMALL_COUNT=${SMALL_COUNT:-500}
SMALL_KIB=${SMALL_KIB:-16}
PARALLEL=${PARALLEL:-16}
RESTIC_MIB=${RESTIC_MIB:-256}
REPEAT=${REPEAT:-3}
CHUNK=$((4 << 20)) CONCURRENCY=16 CUTOFF=$((4 << 20))
WORK=${BENCH_DIR:-$ROOT/bench/out}/azure
CLEANUP_DIRS=("$WORK/azurite" "$WORK/local-repo" "$WORK/restore" "$WORK/down")
export RESTIC_PASSWORD=bench-password

require_tools "npm install -g azurite@3.37.0 (./test.sh does it); apt-get install -y curl restic" azurite-blob curl restic python3 dotnet
LOAD_BEFORE=$(loadavg)

warm_up() {  # warm_up URL: one PUT + GET of a 20 MiB object (past the single-put cutoffs), untimed: JIT and connection pools
  local f=$WORK/../warmup-20.bin
  [ -f "$f" ] || head -c $((20 << 20)) /dev/urandom >"$f"
  curl -sS --noproxy '*' --fail -o /dev/null -T "$f" -H 'Expect:' "$1" && curl -sS --noproxy '*' --fail -o /dev/null "$1"
}

# ---------------------------------------------------------------- build + data
build_gateway
if [ "${BENCH_NO_BUILD:-0}" != 1 ]; then
  log "building bench/azblob-direct (Release)"
  dotnet build "$ROOT/bench/azblob-direct" -c Release -nologo -v quiet </dev/null >/dev/null
fi
DIRECT=$ROOT/bench/azblob-direct/bin/Release/net10.0/azblob-direct
[ -x "$DIRECT" ] || die "$DIRECT was not built"

mkdir -p "$WORK"
OBJ=$WORK/object-$SIZE_MIB.bin
if [ ! -f "$OBJ" ]; then
  log "writing $SIZE_MIB MiB of random data to $OBJ"
  head -c "$((SIZE_MIB << 20))" /dev/urandom >"$OBJ.tmp" && mv "$OBJ.tmp" "$OBJ"
fi
OBJ_BYTES=$(stat -c %s "$OBJ")
SMALL=$WORK/small-$SMALL_COUNT-$SMALL_KIB
if [ ! -f "$SMALL.complete" ]; then
  rm -rf "$SMALL"; mkdir -p "$SMALL"
  for i in $(seq -w 1 "$SMALL_COUNT"); do head -c "$((SMALL_KIB << 10))" /dev/urandom >"$SMALL/f$i.bin"; done
  touch "$SMALL.complete"
fi
DATA=$(cd "$WORK/.." && pwd)/dataset-$RESTIC_MIB-42
if [ ! -f "$DATA/.complete" ]; then
  log "generating $RESTIC_MIB MiB data set in $DATA (seed 42)"
  rm -rf "$DATA"
  python3 "$ROOT/bench/gen-dataset.py" "$DATA/tree" "$RESTIC_MIB" 42 >&2
  touch "$DATA/.complete"
fi
DATA_BYTES=$(du -sb "$DATA/tree" | cut -f1)

# ---------------------------------------------------------------- Azurite
rm -rf "$WORK/azurite"; mkdir -p "$WORK/azurite"
AZ_PORT=$(free_port)
azurite-blob --blobHost 127.0.0.1 --blobPort "$AZ_PORT" --location "$WORK/azurite" --skipApiVersionCheck --loose \
  --disableTelemetry --silent >"$WORK/azurite.log" 2>&1 &
AZ_PID=$!; PIDS+=("$AZ_PID")
wait_port "$AZ_PORT" || die "Azurite did not start: $(cat "$WORK/azurite.log")"
# Azurite's documented development account (public, well known); the secret is passed by env only.
AZ_KEY='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
export AZURE_STORAGE_CONNECTION_STRING="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$AZ_KEY;BlobEndpoint=http://127.0.0.1:$AZ_PORT/devstoreaccount1;"
export GATEWAY_AZUREBLOB_CONNECTION_STRING=$AZURE_STORAGE_CONNECTION_STRING
"$DIRECT" mb direct >/dev/null
"$DIRECT" mb gateway >/dev/null
"$DIRECT" mb restic >/dev/null

start_gateway() {  # start_gateway FRONTEND REMOTE ARGS... -> GW_PID GW_PORT
  local frontend=$1 remote=$2; shift 2
  GW_PORT=$(free_port)
  # shellcheck disable=SC2086 # GATEWAY_FLAGS is a word list on purpose
  "$GATEWAY" serve "$frontend" "$remote" --addr "127.0.0.1:$GW_PORT" --no-auth "$@" ${GATEWAY_FLAGS:-} >"$WORK/gateway.log" 2>&1 &
  GW_PID=$!; PIDS+=("$GW_PID")
  wait_port "$GW_PORT" || die "the gateway did not start: $(cat "$WORK/gateway.log")"
}

# ---------------------------------------------------------------- (1)+(2) through serve s3 azureblob:
start_gateway s3 azureblob: --azureblob-chunk-size "$CHUNK" --azureblob-upload-concurrency "$CONCURRENCY" --azureblob-upload-cutoff "$CUTOFF"
GW_URL=http://127.0.0.1:$GW_PORT/gateway
RSS_START=$(vm_kib "$GW_PID" VmRSS)
warm_up "$GW_URL/warm-up.bin"
curl_mbps() { awk '{ b += $1; if ($2 > t) t = $2 } END { if (t > 0) printf "%.1f", b / t / 1e6; else print "n/a" }'; }
# PUT/GET of SMALL_COUNT objects, PARALLEL at a time; prints seconds.
small_curl() {  # small_curl put|get ROUND
  local cfg=$WORK/curl-small.cfg f t0 t1
  : >"$cfg"
  for f in "$SMALL"/*.bin; do
    if [ "$1" = put ]; then printf 'url = "%s/r%s/%s"\nupload-file = "%s"\noutput = "/dev/null"\n' "$GW_URL" "$2" "${f##*/}" "$f" >>"$cfg"
    else printf 'url = "%s/r%s/%s"\noutput = "/dev/null"\n' "$GW_URL" "$2" "${f##*/}" >>"$cfg"; fi
  done
  t0=$(now)
  curl -sS --no-progress-meter --noproxy '*' --fail -H 'Expect:' --parallel --parallel-max "$PARALLEL" --config "$cfg"
  t1=$(now); elapsed "$t0" "$t1" %.3f
}
GW_PUT=() DI_PUT=() GW_GET=() DI_GET=() GW_SP=() DI_SP=() GW_SG=() DI_SG=()
for round in $(seq 1 "$REPEAT"); do
  GW_PUT+=("$(curl -sS --noproxy '*' --fail -o /dev/null -T "$OBJ" -H 'Expect:' -w '%{size_upload} %{time_total}\n' "$GW_URL/object-$round.bin" | curl_mbps)")
  DI_PUT+=("$(mbps "$OBJ_BYTES" "$("$DIRECT" put direct "object-$round.bin" "$OBJ" "$CHUNK" "$CONCURRENCY" "$CUTOFF")")")
  GW_GET+=("$(curl -sS --noproxy '*' --fail -o /dev/null -w '%{size_download} %{time_total}\n' "$GW_URL/object-$round.bin" | curl_mbps)")
  DI_GET+=("$(mbps "$OBJ_BYTES" "$("$DIRECT" get direct "object-$round.bin" - "$CHUNK" "$CONCURRENCY")")")
  log "round $round: $SIZE_MIB MiB PUT gateway ${GW_PUT[-1]} / direct ${DI_PUT[-1]} MB/s; GET gateway ${GW_GET[-1]} / direct ${DI_GET[-1]} MB/s"
  GW_SP+=("$(small_curl put "$round")")
  DI_SP+=("$("$DIRECT" puts direct "r$round/" "$SMALL" "$PARALLEL")")
  GW_SG+=("$(small_curl get "$round")")
  rm -rf "$WORK/down"
  DI_SG+=("$("$DIRECT" gets direct "r$round/" "$WORK/down" "$PARALLEL")")
  [ "$(find "$WORK/down" -type f | wc -l)" = "$SMALL_COUNT" ] || die "the direct small GETs returned the wrong number of files"
  log "round $round: $SMALL_COUNT x $SMALL_KIB KiB PUT gateway ${GW_SP[-1]} / direct ${DI_SP[-1]} s; GET gateway ${GW_SG[-1]} / direct ${DI_SG[-1]} s"
done
# What the gateway wrote, read back by the SDK, is the same bytes.
"$DIRECT" get gateway object-1.bin "$WORK/readback.bin" "$CHUNK" "$CONCURRENCY" >/dev/null
cmp -s "$OBJ" "$WORK/readback.bin" || die "the object written through the gateway reads back different"
rm -f "$WORK/readback.bin"
HWM=$(vm_kib "$GW_PID" VmHWM)
RSS_END=$(vm_kib "$GW_PID" VmRSS)
GW_CPU=$(cpu_seconds "$GW_PID")
stop_pid "$GW_PID"

# ---------------------------------------------------------------- (4) restic through serve restic
restic_round() {  # restic_round NAME REMOTE -> BACKUP_S RESTORE_S
  local t0 t1 restored
  start_gateway restic "$2"
  export RESTIC_CACHE_DIR=$WORK/cache-$1
  rm -rf "$RESTIC_CACHE_DIR" "$WORK/restore"
  restic -r "rest:http://127.0.0.1:$GW_PORT/" init -q >/dev/null
  t0=$(now); restic -r "rest:http://127.0.0.1:$GW_PORT/" backup -q "$DATA/tree" >/dev/null; t1=$(now)
  BACKUP_S=$(elapsed "$t0" "$t1")
  t0=$(now); restic -r "rest:http://127.0.0.1:$GW_PORT/" restore latest -q --target "$WORK/restore" >/dev/null; t1=$(now)
  RESTORE_S=$(elapsed "$t0" "$t1")
  restored=$(du -sb "$WORK/restore$DATA/tree" | cut -f1)
  [ "$restored" = "$DATA_BYTES" ] || die "$1: restored $restored bytes, expected $DATA_BYTES"
  R_HWM=$(vm_kib "$GW_PID" VmHWM)
  stop_pid "$GW_PID"; rm -rf "$WORK/restore" "$RESTIC_CACHE_DIR"
  log "restic $1: backup ${BACKUP_S}s restore ${RESTORE_S}s, gateway peak RSS $((R_HWM >> 10)) MiB"
}
restic_round azureblob azureblob:restic
AZ_B=$BACKUP_S AZ_R=$RESTORE_S AZ_HWM=$R_HWM
rm -rf "$WORK/local-repo"; mkdir -p "$WORK/local-repo"
restic_round local "local:$WORK/local-repo"
LO_B=$BACKUP_S LO_R=$RESTORE_S

# ---------------------------------------------------------------- summary
M_GP=$(median "${GW_PUT[@]}") M_DP=$(median "${DI_PUT[@]}") M_GG=$(median "${GW_GET[@]}") M_DG=$(median "${DI_GET[@]}")
MEDIAN_FMT=%.2f
M_GSP=$(median "${GW_SP[@]}") M_DSP=$(median "${DI_SP[@]}") M_GSG=$(median "${GW_SG[@]}") M_DSG=$(median "${DI_SG[@]}")
verdict_ge() { awk -v r="$1" -v t="$2" 'BEGIN { if (r == "n/a") print "n/a"; else if (r >= t) print "ok"; else print "MISSED" }'; }
row() { printf '%-42s %10s %10s %7s %8s  %s\n' "$@"; }
{
  echo "azure-bench $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(cpu_model)), azurite $(azurite-blob --version 2>/dev/null | tail -n1), restic $(restic version | cut -d' ' -f2)"
  echo "object: $((OBJ_BYTES >> 20)) MiB, block $((CHUNK >> 20)) MiB x $CONCURRENCY, medians of $REPEAT rounds (PUT ${GW_PUT[*]} vs ${DI_PUT[*]}; GET ${GW_GET[*]} vs ${DI_GET[*]})"
  echo "small: $SMALL_COUNT x $SMALL_KIB KiB, $PARALLEL in parallel; restic data set $((DATA_BYTES >> 20)) MiB; ${GATEWAY_FLAGS:+gateway flags: $GATEWAY_FLAGS; }load average before: $LOAD_BEFORE, after: $(loadavg)"
  echo
  row "measure" "gateway" "direct" "ratio" "target" "verdict"
  row "PUT ${SIZE_MIB} MiB MB/s (curl vs SDK)" "$M_GP" "$M_DP" "$(ratio "$M_GP" "$M_DP")" ">=0.80" "$(verdict_ge "$(ratio "$M_GP" "$M_DP")" 0.80)"
  row "GET ${SIZE_MIB} MiB MB/s (curl vs SDK)" "$M_GG" "$M_DG" "$(ratio "$M_GG" "$M_DG")" ">=0.80" "$(verdict_ge "$(ratio "$M_GG" "$M_DG")" 0.80)"
  row "PUT ${SMALL_COUNT} x ${SMALL_KIB} KiB s (lower is better)" "$M_GSP" "$M_DSP" "$(ratio "$M_GSP" "$M_DSP")" "-" "-"
  row "GET ${SMALL_COUNT} x ${SMALL_KIB} KiB s (lower is better)" "$M_GSG" "$M_DSG" "$(ratio "$M_GSG" "$M_DSG")" "-" "-"
  row "gateway peak RSS MiB (serve s3)" "$((HWM >> 10))" "-" "-" "<=200" "$(awk -v h="$((HWM >> 10))" 'BEGIN { print (h <= 200 ? "ok" : "MISSED") }')"
  row "restic backup s (azureblob vs local)" "$AZ_B" "$LO_B" "$(ratio "$AZ_B" "$LO_B")" "-" "-"
  row "restic restore s (azureblob vs local)" "$AZ_R" "$LO_R" "$(ratio "$AZ_R" "$LO_R")" "-" "-"
  echo "serve s3 gateway: RSS at start $((RSS_START >> 10)) MiB, at end $((RSS_END >> 10)) MiB, CPU ${GW_CPU}s; serve restic azureblob: peak RSS $((AZ_HWM >> 10)) MiB"
} | tee "$WORK/summary-$(date -u +%Y%m%dT%H%M%SZ).txt"
