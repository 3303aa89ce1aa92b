#!/usr/bin/env bash
# The FTP backend (issue 11): `gateway serve s3 ftp:` vs `curl ftp://` and vs rclone's ftp backend,
# all against the same vsftpd on 127.0.0.1, in one run.
#
#   bench/ftp-bench.sh                   # 512 MiB file, 3 interleaved rounds, Release build
#   SIZE_MIB=128 REPEAT=1 bench/ftp-bench.sh     # a quick run
#   GATEWAY_FLAGS='--ftp-concurrency 8' bench/ftp-bench.sh   # experiments: extra gateway flags
#
# Each round: upload and download of one SIZE_MIB file
#   gateway: curl -T / curl -o /dev/null through `gateway serve s3 ftp:USER@127.0.0.1:P/DIR --no-auth`
#            (upload: temp name, STOR, RNFR/RNTO, as the backend always does);
#   curl:    curl -T ftp://… (plain STOR) and curl ftp://… -o /dev/null (RETR);
#   rclone:  `rclone copyto FILE :ftp:…` (upload) and `rclone cat :ftp:…` to /dev/null (download: the
#            same RETR path as `rclone copy`, without writing the file to disk).
# Targets (throughput): gateway >= 0.9x curl and >= 1.0x rclone, for upload and download. Also shown:
# the gateway's peak RSS, and (reference only) the upload through a second gateway with
# `--etag-hash none`: what the MD5 ETag, most of the gateway's CPU on uploads, costs. vsftpd refuses root, so the script uses its own local user (FTP_USER,
# default gwbench; created with useradd if missing, a random password set with chpasswd each run,
# home /home/FTP_USER). Only 127.0.0.1 is used; every process this script starts is stopped by its PID.
# Needs: vsftpd (apt), curl, rclone, python3, dotnet; root (useradd/chpasswd).
# Before the timed transfers the gateway makes one untimed 20 MiB PUT + GET (JIT, connection pools: a
# long-running server is warm; the reference tools start cold, as they do in real use).
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
BENCH_TAG=ftp-bench MEDIAN_FMT=%.1f

cd "$ROOT"
SIZE_MIB=${SIZE_MIB:-512}
REPEAT=${REPEAT:-3}
FTP_USER=${FTP_USER:-gwbench}
WORK=${BENCH_DIR:-$ROOT/bench/out}/ftp
FTP_HOME=/home/$FTP_USER
CLEANUP_DIRS=("$WORK/vsftpd" "$FTP_HOME/bench")

[ -x /usr/sbin/vsftpd ] || die "/usr/sbin/vsftpd is missing (apt-get install -y vsftpd)"
require_tools "apt-get install -y curl rclone" curl rclone python3 dotnet useradd chpasswd
LOAD_BEFORE=$(loadavg)

warm_up() {  # warm_up URL: one PUT + GET of a 20 MiB object (past the single-put cutoffs), untimed: JIT and connection pools
  local f=$WORK/../warmup-20.bin
  [ -f "$f" ] || head -c $((20 << 20)) /dev/urandom >"$f"
  curl -sS --noproxy '*' --fail -o /dev/null -T "$f" -H 'Expect:' "$1" && curl -sS --noproxy '*' --fail -o /dev/null "$1"
}

# ---------------------------------------------------------------- build + data + user
build_gateway
mkdir -p "$WORK"
FILE=$WORK/../object-$SIZE_MIB.bin
if [ ! -f "$FILE" ]; then
  log "writing $SIZE_MIB MiB of random data to $FILE"
  head -c "$((SIZE_MIB << 20))" /dev/urandom >"$FILE.tmp" && mv "$FILE.tmp" "$FILE"
fi
BYTES=$(stat -c %s "$FILE")

# A real shell (vsftpd's PAM stack refuses users without one) and a real home.
id "$FTP_USER" >/dev/null 2>&1 || useradd -M -d "$FTP_HOME" -s /bin/bash "$FTP_USER"
mkdir -p "$FTP_HOME/bench/gateway" "$FTP_HOME/bench/curl" "$FTP_HOME/bench/rclone"
chown -R "$FTP_USER:" "$FTP_HOME"
FTP_PASS=pw-$(head -c 9 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s:%s\n' "$FTP_USER" "$FTP_PASS" | chpasswd

# ---------------------------------------------------------------- vsftpd (settings of tests/TestSupport/FtpServer.cs)
rm -rf "$WORK/vsftpd"; mkdir -p "$WORK/vsftpd" /run/vsftpd/empty
FTP_PORT=$(free_port)
PASV=$(python3 -c 'import random; print(random.randrange(40000, 60000, 32))')
cat >"$WORK/vsftpd/vsftpd.conf" <<EOF
listen=YES
listen_ipv6=NO
listen_address=127.0.0.1
listen_port=$FTP_PORT
background=NO
anonymous_enable=NO
local_enable=YES
write_enable=YES
local_umask=022
pasv_enable=YES
pasv_address=127.0.0.1
pasv_min_port=$PASV
pasv_max_port=$((PASV + 31))
seccomp_sandbox=NO
secure_chroot_dir=/run/vsftpd/empty
pam_service_name=vsftpd
max_per_ip=50
vsftpd_log_file=$WORK/vsftpd/vsftpd.log
EOF
/usr/sbin/vsftpd "$WORK/vsftpd/vsftpd.conf" >"$WORK/vsftpd/stdout.log" 2>&1 &
FTP_PID=$!; PIDS+=("$FTP_PID")
wait_port "$FTP_PORT" || die "vsftpd did not start: $(cat "$WORK/vsftpd/stdout.log")"
# curl reads the password from a netrc file, rclone from env (obscured), the gateway from env: never argv.
printf 'machine 127.0.0.1 login %s password %s\n' "$FTP_USER" "$FTP_PASS" >"$WORK/vsftpd/netrc"
chmod 600 "$WORK/vsftpd/netrc"
FTP_URL=ftp://127.0.0.1:$FTP_PORT/bench   # relative to the login directory (FTP_HOME)
export GATEWAY_FTP_PASS=$FTP_PASS
RCLONE_ENV=(env -u AWS_CA_BUNDLE RCLONE_CONFIG=/dev/null RCLONE_FTP_HOST=127.0.0.1 RCLONE_FTP_PORT="$FTP_PORT" RCLONE_FTP_USER="$FTP_USER"
  RCLONE_FTP_PASS="$(rclone obscure "$FTP_PASS")")

GW_PORT=$(free_port)
# shellcheck disable=SC2086 # GATEWAY_FLAGS is a word list on purpose
"$GATEWAY" serve s3 "ftp:$FTP_USER@127.0.0.1:$FTP_PORT$FTP_HOME/bench" --addr "127.0.0.1:$GW_PORT" --no-auth ${GATEWAY_FLAGS:-} >"$WORK/gateway.log" 2>&1 &
GW_PID=$!; PIDS+=("$GW_PID")
wait_port "$GW_PORT" || die "the gateway did not start: $(cat "$WORK/gateway.log")"
GW_URL=http://127.0.0.1:$GW_PORT/gateway
RSS_START=$(vm_kib "$GW_PID" VmRSS)
warm_up "$GW_URL/warm-up.bin"
NE_PORT=$(free_port)
# shellcheck disable=SC2086 # GATEWAY_FLAGS is a word list on purpose
"$GATEWAY" serve s3 "ftp:$FTP_USER@127.0.0.1:$FTP_PORT$FTP_HOME/bench" --addr "127.0.0.1:$NE_PORT" --no-auth --etag-hash none ${GATEWAY_FLAGS:-} >"$WORK/gateway-noetag.log" 2>&1 &
NE_PID=$!; PIDS+=("$NE_PID")
wait_port "$NE_PORT" || die "the second gateway did not start: $(cat "$WORK/gateway-noetag.log")"
NE_URL=http://127.0.0.1:$NE_PORT/gateway
warm_up "$NE_URL/warm-up.bin"

# ---------------------------------------------------------------- rounds
curl_mbps() { awk '{ if ($2 > 0) printf "%.1f", $1 / $2 / 1e6; else print "n/a" }'; }
# timed CMD...: prints CMD's wall seconds; a failing CMD fails the run (use as t=$(timed …), not nested).
timed() { local t0 t1; t0=$(now); "$@" >/dev/null || die "failed: ${*:1:3}"; t1=$(now); elapsed "$t0" "$t1" %.3f; }
GW_UP=() GW_DN=() CU_UP=() CU_DN=() RC_UP=() RC_DN=() NE_UP=()
for round in $(seq 1 "$REPEAT"); do
  GW_UP+=("$(curl -sS --noproxy '*' --fail -o /dev/null -T "$FILE" -H 'Expect:' -w '%{size_upload} %{time_total}\n' "$GW_URL/obj-$round.bin" | curl_mbps)")
  cmp -s "$FILE" "$FTP_HOME/bench/gateway/obj-$round.bin" || die "the gateway stored a different file"
  CU_UP+=("$(curl -sS --noproxy '*' --fail --netrc-file "$WORK/vsftpd/netrc" -T "$FILE" -w '%{size_upload} %{time_total}\n' "$FTP_URL/curl/obj-$round.bin" | curl_mbps)")
  NE_UP+=("$(curl -sS --noproxy '*' --fail -o /dev/null -T "$FILE" -H 'Expect:' -w '%{size_upload} %{time_total}\n' "$NE_URL/noetag-$round.bin" | curl_mbps)")
  cmp -s "$FILE" "$FTP_HOME/bench/gateway/noetag-$round.bin" || die "the second gateway stored a different file"
  t=$(timed "${RCLONE_ENV[@]}" rclone copyto -q "$FILE" ":ftp:$FTP_HOME/bench/rclone/obj-$round.bin"); RC_UP+=("$(mbps "$BYTES" "$t")")
  GW_DN+=("$(curl -sS --noproxy '*' --fail -o /dev/null -w '%{size_download} %{time_total}\n' "$GW_URL/obj-$round.bin" | curl_mbps)")
  CU_DN+=("$(curl -sS --noproxy '*' --fail --netrc-file "$WORK/vsftpd/netrc" -o /dev/null -w '%{size_download} %{time_total}\n' "$FTP_URL/curl/obj-$round.bin" | curl_mbps)")
  t=$(timed "${RCLONE_ENV[@]}" rclone cat ":ftp:$FTP_HOME/bench/rclone/obj-$round.bin"); RC_DN+=("$(mbps "$BYTES" "$t")")
  log "round $round: upload gateway ${GW_UP[-1]} / curl ${CU_UP[-1]} / rclone ${RC_UP[-1]} (no ETag: ${NE_UP[-1]}) MB/s; download ${GW_DN[-1]} / ${CU_DN[-1]} / ${RC_DN[-1]} MB/s"
  rm -f "$FTP_HOME/bench/gateway/obj-$round.bin" "$FTP_HOME/bench/gateway/noetag-$round.bin" "$FTP_HOME/bench/curl/obj-$round.bin" "$FTP_HOME/bench/rclone/obj-$round.bin"
done
HWM=$(vm_kib "$GW_PID" VmHWM)
GW_CPU=$(cpu_seconds "$GW_PID")
stop_pid "$GW_PID"
stop_pid "$NE_PID"

# ---------------------------------------------------------------- summary
M_GU=$(median "${GW_UP[@]}") M_CU=$(median "${CU_UP[@]}") M_RU=$(median "${RC_UP[@]}")
M_NE=$(median "${NE_UP[@]}")
M_GD=$(median "${GW_DN[@]}") M_CD=$(median "${CU_DN[@]}") M_RD=$(median "${RC_DN[@]}")
verdict_ge() { awk -v r="$1" -v t="$2" 'BEGIN { if (r == "n/a") print "n/a"; else if (r >= t) print "ok"; else print "MISSED" }'; }
row() { printf '%-36s %10s %10s %7s %8s  %s\n' "$@"; }
{
  echo "ftp-bench $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(cpu_model)), vsftpd $(dpkg-query -W -f '${Version}' vsftpd 2>/dev/null), $(curl --version | head -n1 | cut -d' ' -f1-2), $(rclone version | head -n1)"
  echo "file: $((BYTES >> 20)) MiB, medians of $REPEAT rounds (upload ${GW_UP[*]} / ${CU_UP[*]} / ${RC_UP[*]}; download ${GW_DN[*]} / ${CU_DN[*]} / ${RC_DN[*]} MB/s)"
  echo "${GATEWAY_FLAGS:+gateway flags: $GATEWAY_FLAGS; }load average before: $LOAD_BEFORE, after: $(loadavg)"
  echo
  row "measure" "gateway" "reference" "ratio" "target" "verdict"
  row "upload MB/s (vs curl ftp://)" "$M_GU" "$M_CU" "$(ratio "$M_GU" "$M_CU")" ">=0.90" "$(verdict_ge "$(ratio "$M_GU" "$M_CU")" 0.90)"
  row "download MB/s (vs curl ftp://)" "$M_GD" "$M_CD" "$(ratio "$M_GD" "$M_CD")" ">=0.90" "$(verdict_ge "$(ratio "$M_GD" "$M_CD")" 0.90)"
  row "upload MB/s (vs rclone copyto)" "$M_GU" "$M_RU" "$(ratio "$M_GU" "$M_RU")" ">=1.00" "$(verdict_ge "$(ratio "$M_GU" "$M_RU")" 1.00)"
  row "download MB/s (vs rclone cat)" "$M_GD" "$M_RD" "$(ratio "$M_GD" "$M_RD")" ">=1.00" "$(verdict_ge "$(ratio "$M_GD" "$M_RD")" 1.00)"
  row "upload MB/s, --etag-hash none (curl)" "$M_NE" "$M_CU" "$(ratio "$M_NE" "$M_CU")" "-" "reference only: ${NE_UP[*]}"
  echo "gateway: RSS at start $((RSS_START >> 10)) MiB, peak $((HWM >> 10)) MiB, CPU ${GW_CPU}s"
} | tee "$WORK/summary-$(date -u +%Y%m%dT%H%M%SZ).txt"
