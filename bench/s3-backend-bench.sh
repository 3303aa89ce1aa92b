#!/usr/bin/env bash
# The S3 backend (issue 10): `gateway serve s3 s3:` in front of a backing S3 server vs aws-cli straight to
# the same server, and restic through `gateway serve restic s3:` vs `rclone serve restic` on the same
# server, in one run.
#
#   bench/s3-backend-bench.sh            # 1 GiB object, 500 x 16 KiB objects, 256 MiB restic data, 3 rounds
#   SIZE_MIB=256 SMALL_COUNT=200 RESTIC_MIB=128 REPEAT=1 bench/s3-backend-bench.sh    # a quick run
#   BACKING=s3rver bench/s3-backend-bench.sh    # backing server: s3rver instead of a second `gateway serve s3 local:`
#   GATEWAY_FLAGS='--s3-upload-concurrency 8' bench/s3-backend-bench.sh            # experiments
#
# Backing server (BACKING): our own `gateway serve s3 local:` with SigV4 (the default, as the conformance
# tests do) or s3rver 3.7.1 (npm). s3rver cannot decode aws-chunked bodies and has no
# ListMultipartUploads, so with it the backend runs with --s3-request-checksum when_required and
# --s3-multipart-passthrough false (the frontend's multipart parts are staged on local disk). The gateway
# under test is `serve s3 s3: --no-auth` (every bucket of the backing account), backend defaults (8 MiB
# parts, 4 in flight) unless GATEWAY_FLAGS says otherwise.
# (1) PUT and GET of one SIZE_MIB object with aws-cli v2 (/usr/bin/aws; multipart above 8 MiB, 8 MiB
#     parts, 8 requests in flight): through the gateway (unsigned) vs straight to the backing server
#     (SigV4). The gateway maps each part 1:1 onto a backend part. Target: >= 0.8x direct.
# (2) The same object as one streamed curl PUT/GET through the gateway (the backend's own multipart:
#     chunk_size x upload_concurrency), next to the same aws-cli direct figure.
# (3) SMALL_COUNT objects of SMALL_KIB KiB: `aws s3 cp --recursive` up and down, gateway vs direct.
# (4) Gateway peak RSS (VmHWM) after (1)-(3). Target: <= 200 MiB.
# (5) restic backup + restore of a RESTIC_MIB data set (bench/gen-dataset.py) through
#     `gateway serve restic s3:BUCKET/gw` vs `rclone serve restic :s3:BUCKET/rclone` (Debian rclone 1.60).
#     Target: <= 0.9x rclone's wall time.
# Rounds of (1)-(3) are interleaved REPEAT times, medians in the summary. The backing server runs on the
# same cores. Only 127.0.0.1 is used; every process this script starts is stopped by its PID.
# Needs: npm s3rver 3.7.1 (see ./test.sh), awscli (Debian's v2), curl, restic, rclone, python3, dotnet.
# Before the timed transfers the gateway makes one untimed 20 MiB PUT + GET (JIT, connection pools: a
# long-running server is warm; the reference tools start cold, as they do in real use).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
BENCH_TAG=s3-backend-bench MEDIAN_FMT=%.1f

cd "$ROOT"
SIZE_MIB=${SIZE_MIB:-1024}
SMALL_COUNT=${SMALL_COUNT:-500}
SMALL_KIB=${SMALL_KIB:-16}
RESTIC_MIB=${RESTIC_MIB:-256}
REPEAT=${REPEAT:-3}
BACKING=${BACKING:-gateway}
WORK=${BENCH_DIR:-$ROOT/bench/out}/s3-backend
CLEANUP_DIRS=("$WORK/backing" "$WORK/restore" "$WORK/down")
export RESTIC_PASSWORD=bench-password

require_tools "apt-get install -y awscli curl restic rclone" /usr/bin/aws curl restic rclone python3 dotnet
[ "$BACKING" = s3rver ] && require_tools "npm install -g s3rver@3.7.1 (./test.sh does it)" s3rver
LOAD_BEFORE=$(loadavg)

warm_up() {  # warm_up URL: one PUT + GET of a 20 MiB object (past the single-put cutoffs), untimed: JIT and connection pools
  local f=$WORK/../warmup-20.bin
  [ -f "$f" ] || head -c $((20 << 20)) /dev/urandom >"$f"
  curl -sS --noproxy '*' --fail -o /dev/null -T "$f" -H 'Expect:' "$1" && curl -sS --noproxy '*' --fail -o /dev/null "$1"
}

# ---------------------------------------------------------------- build + data
build_gateway
mkdir -p "$WORK"
OBJ=$WORK/../object-$SIZE_MIB.bin
if [ ! -f "$OBJ" ]; then
  log "writing $SIZE_MIB MiB of random data to $OBJ"
  head -c "$((SIZE_MIB << 20))" /dev/urandom >"$OBJ.tmp" && mv "$OBJ.tmp" "$OBJ"
fi
OBJ_BYTES=$(stat -c %s "$OBJ")
SMALL=$WORK/../small-$SMALL_COUNT-$SMALL_KIB
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

# ---------------------------------------------------------------- backing server
rm -rf "$WORK/backing"; mkdir -p "$WORK/backing"
BK_PORT=$(free_port)
if [ "$BACKING" = s3rver ]; then
  AK=S3RVER SK=S3RVER   # s3rver's fixed development keys
  s3rver -d "$WORK/backing" -a 127.0.0.1 -p "$BK_PORT" --no-vhost-buckets >"$WORK/backing.log" 2>&1 &
  BACKEND_FLAGS=(--s3-request-checksum when_required --s3-multipart-passthrough false)
else
  AK=bench-access SK=bench-secret
  "$GATEWAY" serve s3 "local:$WORK/backing" --addr "127.0.0.1:$BK_PORT" --auth-key "$AK,$SK" >"$WORK/backing.log" 2>&1 &
  BACKEND_FLAGS=()
fi
BK_PID=$!; PIDS+=("$BK_PID")
wait_port "$BK_PORT" || die "the backing server did not start: $(cat "$WORK/backing.log")"
BK_URL=http://127.0.0.1:$BK_PORT

cat >"$WORK/aws.config" <<EOF
[default]
s3 =
  max_concurrent_requests = 8
  multipart_threshold = 8MB
  multipart_chunksize = 8MB
EOF
aws_direct() { env AWS_CONFIG_FILE="$WORK/aws.config" AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_DEFAULT_REGION=us-east-1 \
  AWS_ACCESS_KEY_ID=$AK AWS_SECRET_ACCESS_KEY=$SK /usr/bin/aws --endpoint-url "$BK_URL" s3 "$@"; }
aws_gateway() { env AWS_CONFIG_FILE="$WORK/aws.config" AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_DEFAULT_REGION=us-east-1 \
  /usr/bin/aws --no-sign-request --endpoint-url "http://127.0.0.1:$GW_PORT" s3 "$@"; }
aws_direct mb s3://direct >/dev/null
aws_direct mb s3://gateway >/dev/null
aws_direct mb s3://restic >/dev/null

# The backend's secret goes by env only (never on a command line).
export GATEWAY_S3_SECRET_ACCESS_KEY=$SK
start_gateway() {  # start_gateway FRONTEND REMOTE -> GW_PID GW_PORT
  GW_PORT=$(free_port)
  # shellcheck disable=SC2086 # GATEWAY_FLAGS is a word list on purpose
  "$GATEWAY" serve "$1" "$2" --addr "127.0.0.1:$GW_PORT" --no-auth --s3-endpoint "$BK_URL" --s3-access-key-id "$AK" \
    "${BACKEND_FLAGS[@]}" ${GATEWAY_FLAGS:-} >"$WORK/gateway.log" 2>&1 &
  GW_PID=$!; PIDS+=("$GW_PID")
  wait_port "$GW_PORT" || die "the gateway did not start: $(cat "$WORK/gateway.log")"
}

# ---------------------------------------------------------------- (1)-(3) through serve s3 s3:
start_gateway s3 s3:
RSS_START=$(vm_kib "$GW_PID" VmRSS)
warm_up "http://127.0.0.1:$GW_PORT/gateway/warm-up.bin"
# timed CMD...: prints CMD's wall seconds; a failing CMD fails the run (use as t=$(timed …), not nested).
timed() { local t0 t1; t0=$(now); "$@" >/dev/null || die "failed: ${*:1:3}"; t1=$(now); elapsed "$t0" "$t1" %.3f; }
curl_mbps() { awk '{ if ($2 > 0) printf "%.1f", $1 / $2 / 1e6; else print "n/a" }'; }
GW_PUT=() DI_PUT=() GW_GET=() DI_GET=() CU_PUT=() CU_GET=() GW_SP=() DI_SP=() GW_SG=() DI_SG=()
for round in $(seq 1 "$REPEAT"); do
  t=$(timed aws_gateway cp --only-show-errors "$OBJ" "s3://gateway/aws-$round.bin"); GW_PUT+=("$(mbps "$OBJ_BYTES" "$t")")
  t=$(timed aws_direct cp --only-show-errors "$OBJ" "s3://direct/aws-$round.bin"); DI_PUT+=("$(mbps "$OBJ_BYTES" "$t")")
  t=$(timed aws_gateway cp --only-show-errors "s3://gateway/aws-$round.bin" -); GW_GET+=("$(mbps "$OBJ_BYTES" "$t")")
  t=$(timed aws_direct cp --only-show-errors "s3://direct/aws-$round.bin" -); DI_GET+=("$(mbps "$OBJ_BYTES" "$t")")
  CU_PUT+=("$(curl -sS --noproxy '*' --fail -o /dev/null -T "$OBJ" -H 'Expect:' -w '%{size_upload} %{time_total}\n' "http://127.0.0.1:$GW_PORT/gateway/curl-$round.bin" | curl_mbps)")
  CU_GET+=("$(curl -sS --noproxy '*' --fail -o /dev/null -w '%{size_download} %{time_total}\n' "http://127.0.0.1:$GW_PORT/gateway/curl-$round.bin" | curl_mbps)")
  log "round $round: $SIZE_MIB MiB PUT aws via gateway ${GW_PUT[-1]} / direct ${DI_PUT[-1]} / curl via gateway ${CU_PUT[-1]} MB/s; GET ${GW_GET[-1]} / ${DI_GET[-1]} / ${CU_GET[-1]} MB/s"
  t=$(timed aws_gateway cp --only-show-errors --recursive "$SMALL" "s3://gateway/small-$round/"); GW_SP+=("$t")
  t=$(timed aws_direct cp --only-show-errors --recursive "$SMALL" "s3://direct/small-$round/"); DI_SP+=("$t")
  rm -rf "$WORK/down"
  t=$(timed aws_gateway cp --only-show-errors --recursive "s3://gateway/small-$round/" "$WORK/down"); GW_SG+=("$t")
  [ "$(find "$WORK/down" -type f | wc -l)" = "$SMALL_COUNT" ] || die "the small GETs through the gateway returned the wrong number of files"
  rm -rf "$WORK/down"
  t=$(timed aws_direct cp --only-show-errors --recursive "s3://direct/small-$round/" "$WORK/down"); DI_SG+=("$t")
  log "round $round: $SMALL_COUNT x $SMALL_KIB KiB PUT gateway ${GW_SP[-1]} / direct ${DI_SP[-1]} s; GET ${GW_SG[-1]} / ${DI_SG[-1]} s"
done
# What the gateway wrote, read straight from the backing server, is the same bytes.
aws_direct cp --only-show-errors s3://gateway/curl-1.bin "$WORK/readback.bin"
cmp -s "$OBJ" "$WORK/readback.bin" || die "the object written through the gateway reads back different"
rm -f "$WORK/readback.bin"
HWM=$(vm_kib "$GW_PID" VmHWM)
RSS_END=$(vm_kib "$GW_PID" VmRSS)
GW_CPU=$(cpu_seconds "$GW_PID")
stop_pid "$GW_PID"

# ---------------------------------------------------------------- (5) restic: gateway vs rclone serve restic
restic_round() {  # restic_round NAME (server on GW_PORT, pid GW_PID) -> BACKUP_S RESTORE_S
  local t0 t1 restored repo=rest:http://127.0.0.1:$GW_PORT/
  export RESTIC_CACHE_DIR=$WORK/cache-$1
  rm -rf "$RESTIC_CACHE_DIR" "$WORK/restore"
  restic -r "$repo" init -q >/dev/null
  t0=$(now); restic -r "$repo" backup -q "$DATA/tree" >/dev/null; t1=$(now)
  BACKUP_S=$(elapsed "$t0" "$t1")
  t0=$(now); restic -r "$repo" restore latest -q --target "$WORK/restore" >/dev/null; t1=$(now)
  RESTORE_S=$(elapsed "$t0" "$t1")
  restored=$(du -sb "$WORK/restore$DATA/tree" | cut -f1)
  [ "$restored" = "$DATA_BYTES" ] || die "$1: restored $restored bytes, expected $DATA_BYTES"
  R_HWM=$(vm_kib "$GW_PID" VmHWM)
  stop_pid "$GW_PID"; rm -rf "$WORK/restore" "$RESTIC_CACHE_DIR"
  log "restic $1: backup ${BACKUP_S}s restore ${RESTORE_S}s, server peak RSS $((R_HWM >> 10)) MiB"
}
start_gateway restic s3:restic/gw
restic_round gateway
GR_B=$BACKUP_S GR_R=$RESTORE_S GR_HWM=$R_HWM
GW_PORT=$(free_port)
env -u AWS_CA_BUNDLE RCLONE_CONFIG=/dev/null RCLONE_S3_PROVIDER=Other RCLONE_S3_ACCESS_KEY_ID="$AK" RCLONE_S3_SECRET_ACCESS_KEY="$SK" \
  RCLONE_S3_ENDPOINT="$BK_URL" RCLONE_S3_FORCE_PATH_STYLE=true \
  rclone serve restic :s3:restic/rclone --addr "127.0.0.1:$GW_PORT" >"$WORK/rclone.log" 2>&1 &
GW_PID=$!; PIDS+=("$GW_PID")
wait_port "$GW_PORT" || die "rclone did not start: $(cat "$WORK/rclone.log")"
restic_round rclone
RC_B=$BACKUP_S RC_R=$RESTORE_S RC_HWM=$R_HWM

# ---------------------------------------------------------------- summary
M_GP=$(median "${GW_PUT[@]}") M_DP=$(median "${DI_PUT[@]}") M_GG=$(median "${GW_GET[@]}") M_DG=$(median "${DI_GET[@]}")
M_CP=$(median "${CU_PUT[@]}") M_CG=$(median "${CU_GET[@]}")
MEDIAN_FMT=%.2f
M_GSP=$(median "${GW_SP[@]}") M_DSP=$(median "${DI_SP[@]}") M_GSG=$(median "${GW_SG[@]}") M_DSG=$(median "${DI_SG[@]}")
R_B=$(awk -v a="$GR_B" -v b="$GR_R" 'BEGIN { printf "%.2f", a + b }') R_R=$(awk -v a="$RC_B" -v b="$RC_R" 'BEGIN { printf "%.2f", a + b }')
verdict_ge() { awk -v r="$1" -v t="$2" 'BEGIN { if (r == "n/a") print "n/a"; else if (r >= t) print "ok"; else print "MISSED" }'; }
verdict_le() { awk -v r="$1" -v t="$2" 'BEGIN { if (r == "n/a") print "n/a"; else if (r <= t) print "ok"; else print "MISSED" }'; }
row() { printf '%-44s %10s %10s %7s %8s  %s\n' "$@"; }
{
  echo "s3-backend-bench $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(cpu_model)), backing server: $BACKING, $(/usr/bin/aws --version | cut -d' ' -f1), restic $(restic version | cut -d' ' -f2), $(rclone version | head -n1)"
  echo "object: $((OBJ_BYTES >> 20)) MiB, aws-cli 8 MiB parts x 8, medians of $REPEAT rounds (PUT ${GW_PUT[*]} vs ${DI_PUT[*]}; GET ${GW_GET[*]} vs ${DI_GET[*]})"
  echo "small: $SMALL_COUNT x $SMALL_KIB KiB; restic data set $((DATA_BYTES >> 20)) MiB; ${GATEWAY_FLAGS:+gateway flags: $GATEWAY_FLAGS; }load average before: $LOAD_BEFORE, after: $(loadavg)"
  echo
  row "measure" "gateway" "reference" "ratio" "target" "verdict"
  row "PUT ${SIZE_MIB} MiB MB/s (aws-cli, vs direct)" "$M_GP" "$M_DP" "$(ratio "$M_GP" "$M_DP")" ">=0.80" "$(verdict_ge "$(ratio "$M_GP" "$M_DP")" 0.80)"
  row "GET ${SIZE_MIB} MiB MB/s (aws-cli, vs direct)" "$M_GG" "$M_DG" "$(ratio "$M_GG" "$M_DG")" ">=0.80" "$(verdict_ge "$(ratio "$M_GG" "$M_DG")" 0.80)"
  row "PUT ${SIZE_MIB} MiB MB/s (one curl stream)" "$M_CP" "$M_DP" "$(ratio "$M_CP" "$M_DP")" "-" "-"
  row "GET ${SIZE_MIB} MiB MB/s (one curl stream)" "$M_CG" "$M_DG" "$(ratio "$M_CG" "$M_DG")" "-" "-"
  row "PUT ${SMALL_COUNT} x ${SMALL_KIB} KiB s (lower is better)" "$M_GSP" "$M_DSP" "$(ratio "$M_GSP" "$M_DSP")" "-" "-"
  row "GET ${SMALL_COUNT} x ${SMALL_KIB} KiB s (lower is better)" "$M_GSG" "$M_DSG" "$(ratio "$M_GSG" "$M_DSG")" "-" "-"
  row "gateway peak RSS MiB (serve s3)" "$((HWM >> 10))" "-" "-" "<=200" "$(awk -v h="$((HWM >> 10))" 'BEGIN { print (h <= 200 ? "ok" : "MISSED") }')"
  row "restic backup s (vs rclone serve restic)" "$GR_B" "$RC_B" "$(ratio "$GR_B" "$RC_B")" "<=0.90" "$(verdict_le "$(ratio "$GR_B" "$RC_B")" 0.90)"
  row "restic restore s (vs rclone serve restic)" "$GR_R" "$RC_R" "$(ratio "$GR_R" "$RC_R")" "<=0.90" "$(verdict_le "$(ratio "$GR_R" "$RC_R")" 0.90)"
  row "restic backup+restore s (vs rclone)" "$R_B" "$R_R" "$(ratio "$R_B" "$R_R")" "<=0.90" "$(verdict_le "$(ratio "$R_B" "$R_R")" 0.90)"
  row "restic server peak RSS MiB (vs rclone)" "$((GR_HWM >> 10))" "$((RC_HWM >> 10))" "$(ratio "$GR_HWM" "$RC_HWM")" "<=200" "$(awk -v h="$((GR_HWM >> 10))" 'BEGIN { print (h <= 200 ? "ok" : "MISSED") }')"
  echo "serve s3 gateway: RSS at start $((RSS_START >> 10)) MiB, at end $((RSS_END >> 10)) MiB, CPU ${GW_CPU}s"
} | tee "$WORK/summary-$(date -u +%Y%m%dT%H%M%SZ).txt"
