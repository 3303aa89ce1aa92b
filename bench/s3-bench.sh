#!/usr/bin/env bash
# `gateway serve s3 local:` next to nginx (static files + WebDAV PUT) in the same run.
#
#   bench/s3-bench.sh                       # 1 GiB object, 2 GiB multipart, 3 rounds, Release build
#   SIZE_MIB=512 MP_MIB=1024 REPEAT=5 WRK_SECONDS=20 bench/s3-bench.sh
#
# (1) GET and PUT of one SIZE_MIB object with curl, gateway (--no-auth, so that both servers do the
#     same work: no signing) vs nginx; REPEAT interleaved rounds, medians. Target: gateway >= 0.8x nginx.
# (2) Peak RSS (VmHWM from /proc/PID/status) of an authenticated gateway after aws-cli v2 uploads
#     an MP_MIB object as a multipart upload with max_concurrent_requests = 8 (8 parts in flight).
#     Target: <= 200 MiB.
# (3) wrk: 4 KiB GET and PUT requests per second at 16 connections, gateway (--no-auth) vs nginx.
# Only 127.0.0.1 is used; every process this script starts is stopped by its PID.
# Needs: apt-get install -y nginx wrk awscli curl
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
BENCH_TAG=s3-bench MEDIAN_FMT=%.1f

cd "$ROOT"
SIZE_MIB=${SIZE_MIB:-1024}
MP_MIB=${MP_MIB:-2048}
REPEAT=${REPEAT:-3}
WRK_SECONDS=${WRK_SECONDS:-10}
WORK=${BENCH_DIR:-$ROOT/bench/out}/s3
AK=bench-access SK=bench-secret

require_tools "apt-get install -y nginx wrk curl awscli" nginx wrk curl python3 dotnet /usr/bin/aws

LOAD_BEFORE=$(loadavg)

# ---------------------------------------------------------------- build + data
build_gateway

rm -rf "$WORK/gw" "$WORK/nginx" "$WORK/down"
mkdir -p "$WORK/gw/bench" "$WORK/nginx/root" "$WORK/nginx/tmp" "$WORK/down"
OBJ=$WORK/object-$SIZE_MIB.bin
if [ ! -f "$OBJ" ]; then
  log "writing $SIZE_MIB MiB of random data to $OBJ"
  head -c "$((SIZE_MIB << 20))" /dev/urandom >"$OBJ.tmp" && mv "$OBJ.tmp" "$OBJ"
fi
OBJ_BYTES=$(stat -c %s "$OBJ")
head -c 4096 /dev/urandom >"$WORK/gw/bench/4k.bin"
cp "$WORK/gw/bench/4k.bin" "$WORK/nginx/root/4k.bin"

# ---------------------------------------------------------------- servers
start_gateway() {  # start_gateway ARGS... -> GW_PID GW_PORT
  GW_PORT=$(free_port)
  "$GATEWAY" serve s3 "local:$WORK/gw" --addr "127.0.0.1:$GW_PORT" "$@" >"$WORK/gateway.log" 2>&1 &
  GW_PID=$!; PIDS+=("$GW_PID")
  wait_port "$GW_PORT" || die "the gateway did not start: $(cat "$WORK/gateway.log")"
}

NG_PORT=$(free_port)
cat >"$WORK/nginx/nginx.conf" <<EOF
worker_processes auto;
pid $WORK/nginx/nginx.pid;
events { worker_connections 1024; }
http {
  access_log off;
  sendfile on;
  tcp_nopush on;
  keepalive_requests 1000000;
  client_body_temp_path $WORK/nginx/tmp;
  server {
    listen 127.0.0.1:$NG_PORT;
    root $WORK/nginx/root;
    location / {
      dav_methods PUT DELETE MKCOL;
      create_full_put_path on;
      client_max_body_size 0;
    }
  }
}
EOF
# Workers run as nobody when nginx starts as root.
[ "$(id -u)" -eq 0 ] && chown -R nobody "$WORK/nginx/root" "$WORK/nginx/tmp"
nginx -p "$WORK/nginx" -c "$WORK/nginx/nginx.conf" -e "$WORK/nginx/error.log" -g 'daemon off;' &
NG_PID=$!; PIDS+=("$NG_PID")
wait_port "$NG_PORT" || die "nginx did not start: $(cat "$WORK/nginx/error.log")"
[ "$(id -u)" -eq 0 ] && cp "$OBJ" "$WORK/nginx/root/object.bin" && chown nobody "$WORK/nginx/root/object.bin"
[ "$(id -u)" -ne 0 ] && cp "$OBJ" "$WORK/nginx/root/object.bin"

start_gateway --no-auth
cp "$OBJ" "$WORK/gw/bench/object.bin"
GW_URL=http://127.0.0.1:$GW_PORT/bench
NG_URL=http://127.0.0.1:$NG_PORT

# ---------------------------------------------------------------- (1) 1 GiB GET / PUT
get_mbps() { curl -sS --noproxy '*' --fail -o /dev/null -w '%{size_download} %{time_total}\n' "$1" | { read -r b t; mbps "$b" "$t"; }; }
put_mbps() { curl -sS --noproxy '*' --fail -o /dev/null -T "$OBJ" -H 'Expect:' -w '%{size_upload} %{time_total}\n' "$1" | { read -r b t; mbps "$b" "$t"; }; }
GW_GET=() NG_GET=() GW_PUT=() NG_PUT=()
for round in $(seq 1 "$REPEAT"); do
  # Warm the page cache for both copies, then time.
  cat "$WORK/gw/bench/object.bin" "$WORK/nginx/root/object.bin" >/dev/null
  GW_GET+=("$(get_mbps "$GW_URL/object.bin")")
  NG_GET+=("$(get_mbps "$NG_URL/object.bin")")
  GW_PUT+=("$(put_mbps "$GW_URL/put-$round.bin")")
  NG_PUT+=("$(put_mbps "$NG_URL/put-$round.bin")")
  cmp -s "$OBJ" "$WORK/gw/bench/put-$round.bin" || die "the gateway stored a different object"
  log "round $round: GET gateway ${GW_GET[-1]} / nginx ${NG_GET[-1]} MB/s; PUT gateway ${GW_PUT[-1]} / nginx ${NG_PUT[-1]} MB/s"
  rm -f "$WORK/gw/bench/put-$round.bin" "$WORK/nginx/root/put-$round.bin"
done

# ---------------------------------------------------------------- (3) wrk 4 KiB
cat >"$WORK/put4k.lua" <<'EOF'
wrk.method = "PUT"
wrk.body = string.rep("x", 4096)
EOF
rps() { wrk -t2 -c16 -d"${WRK_SECONDS}s" "$@" | awk '/^Requests\/sec:/ { printf "%.0f", $2 } /Non-2xx/ { print "non-2xx answers" > "/dev/stderr" }'; }
GW_RGET=$(rps "$GW_URL/4k.bin")
NG_RGET=$(rps "$NG_URL/4k.bin")
GW_RPUT=$(rps -s "$WORK/put4k.lua" "$GW_URL/put4k.bin")
NG_RPUT=$(rps -s "$WORK/put4k.lua" "$NG_URL/put4k.bin")
log "wrk 4 KiB GET gateway $GW_RGET / nginx $NG_RGET req/s; PUT gateway $GW_RPUT / nginx $NG_RPUT req/s"
stop_pid "$GW_PID"
stop_pid "$NG_PID"

# ---------------------------------------------------------------- (2) peak RSS during a multipart upload
MP=$WORK/multipart-$MP_MIB.bin
if [ ! -f "$MP" ]; then
  log "writing $MP_MIB MiB of random data to $MP"
  head -c "$((MP_MIB << 20))" /dev/urandom >"$MP.tmp" && mv "$MP.tmp" "$MP"
fi
rm -rf "$WORK/gw/bench"
start_gateway --auth-key "$AK,$SK"
RSS_START=$(vm_kib "$GW_PID" VmRSS)
cat >"$WORK/aws.config" <<EOF
[default]
s3 =
  max_concurrent_requests = 8
  multipart_threshold = 8MB
  multipart_chunksize = 8MB
EOF
env AWS_CONFIG_FILE="$WORK/aws.config" AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_DEFAULT_REGION=us-east-1 \
    AWS_ACCESS_KEY_ID=$AK AWS_SECRET_ACCESS_KEY=$SK \
    /usr/bin/aws --endpoint-url "http://127.0.0.1:$GW_PORT" s3 mb s3://mp-bench >/dev/null
T0=$(now)
env AWS_CONFIG_FILE="$WORK/aws.config" AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_DEFAULT_REGION=us-east-1 \
    AWS_ACCESS_KEY_ID=$AK AWS_SECRET_ACCESS_KEY=$SK \
    /usr/bin/aws --endpoint-url "http://127.0.0.1:$GW_PORT" s3 cp --only-show-errors "$MP" s3://mp-bench/multipart.bin
T1=$(now)
MP_S=$(elapsed "$T0" "$T1" %.1f)
HWM=$(vm_kib "$GW_PID" VmHWM)
RSS_END=$(vm_kib "$GW_PID" VmRSS)
[ "$(stat -c %s "$WORK/gw/mp-bench/multipart.bin")" = "$(stat -c %s "$MP")" ] || die "the multipart object has the wrong size"
stop_pid "$GW_PID"
log "multipart: $MP_MIB MiB in ${MP_S}s; RSS at start $((RSS_START >> 10)) MiB, peak $((HWM >> 10)) MiB, at end $((RSS_END >> 10)) MiB"
rm -rf "$WORK/gw/mp-bench"

# ---------------------------------------------------------------- summary
R_GET=$(median "${GW_GET[@]}") N_GET=$(median "${NG_GET[@]}") R_PUT=$(median "${GW_PUT[@]}") N_PUT=$(median "${NG_PUT[@]}")
verdict_ge() { awk -v r="$1" -v t="$2" 'BEGIN { if (r == "n/a") print "n/a"; else if (r >= t) print "ok"; else print "MISSED" }'; }
row() { printf '%-40s %10s %10s %7s %8s  %s\n' "$@"; }
{
  echo "s3-bench $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(cpu_model)), $(nginx -v 2>&1 | cut -d' ' -f3), $(/usr/bin/aws --version | cut -d' ' -f1)"
  echo "object: $((OBJ_BYTES >> 20)) MiB, curl, page cache warm, medians of $REPEAT rounds (GET: ${GW_GET[*]} vs ${NG_GET[*]}; PUT: ${GW_PUT[*]} vs ${NG_PUT[*]})"
  echo "load average before: $LOAD_BEFORE, after: $(loadavg)"
  echo
  row "measure" "gateway" "nginx" "ratio" "target" "verdict"
  row "GET ${SIZE_MIB} MiB MB/s (--no-auth)" "$R_GET" "$N_GET" "$(ratio "$R_GET" "$N_GET")" ">=0.80" "$(verdict_ge "$(ratio "$R_GET" "$N_GET")" 0.80)"
  row "PUT ${SIZE_MIB} MiB MB/s (--no-auth)" "$R_PUT" "$N_PUT" "$(ratio "$R_PUT" "$N_PUT")" ">=0.80" "$(verdict_ge "$(ratio "$R_PUT" "$N_PUT")" 0.80)"
  row "4 KiB GET req/s (wrk, 16 conns)" "$GW_RGET" "$NG_RGET" "$(ratio "$GW_RGET" "$NG_RGET")" "-" "-"
  row "4 KiB PUT req/s (wrk, 16 conns)" "$GW_RPUT" "$NG_RPUT" "$(ratio "$GW_RPUT" "$NG_RPUT")" "-" "-"
  row "peak RSS MiB, ${MP_MIB} MiB multipart x8" "$((HWM >> 10))" "-" "-" "<=200" "$(awk -v h="$((HWM >> 10))" 'BEGIN { print (h <= 200 ? "ok" : "MISSED") }')"
  echo "multipart upload (aws-cli v2, 8 MiB parts, 8 in flight, SigV4): ${MP_S}s; gateway RSS at start $((RSS_START >> 10)) MiB, at end $((RSS_END >> 10)) MiB"
} | tee "$WORK/summary-$(date -u +%Y%m%dT%H%M%SZ).txt"
