#!/usr/bin/env bash
# The SFTP backend against OpenSSH's own sftp client, both talking to the same private sshd on 127.0.0.1.
#
#   bench/sftp-bench.sh                      # 1 GiB file, 3 interleaved rounds, Release build
#   SIZE_MIB=512 REPEAT=5 bench/sftp-bench.sh
#   GATEWAY_FLAGS='--sftp-concurrency 16' bench/sftp-bench.sh   # experiments: extra gateway flags
#   GATEWAY_FLAGS= bench/sftp-bench.sh       # with the restic frontend's SHA-256 upload check (default: off)
#
# Gateway path: `gateway serve restic sftp:root@127.0.0.1:P/DIR --no-verify-upload` and curl, which
# POSTs the file as one restic data blob and GETs it back (to /dev/null). The restic frontend is the
# thinnest HTTP path in front of the Vfs (no SigV4, no MD5 ETag, and with --no-verify-upload no hash),
# so the ratio is about the Vfs + SFTP backend, not a frontend; the blob name is the file's real
# SHA-256, so dropping --no-verify-upload works too. With cache mode off the upload is: temp name,
# WRITEs, fsync@openssh.com, posix-rename, directory fsync; a 2xx means it is on the server's disk.
#
# Reference: `sftp -b BATCH` with `put -f` (-f = fsync@openssh.com after the transfer, the same
# durability as the gateway) and `get` to /dev/null, over the same sshd, key and cipher (defaults).
#
# Each round: gateway upload, gateway download, sftp put, sftp get (rounds interleaved, medians in the
# summary); the remote file is deleted between uploads. CPU: user+sys seconds of the gateway process
# plus its ssh children, read from /proc just before the gateway is stopped (start-up and JIT
# included). Only 127.0.0.1 is used; every process this script starts is stopped by its PID.
# Needs: openssh-server openssh-sftp-server openssh-client curl python3 dotnet.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"
MEDIAN_FMT=

cd "$ROOT"
SIZE_MIB=${SIZE_MIB:-1024}
REPEAT=${REPEAT:-3}
WORK=${BENCH_DIR:-$ROOT/bench/out}/sftp
GATEWAY_FLAGS=${GATEWAY_FLAGS---no-verify-upload}
CLEANUP_DIRS=("$WORK/sshd")

cpu_of() { cpu_seconds "$1" 2>/dev/null || echo 0; }  # 0 once the process is gone
# user+sys CPU seconds of PID and its direct children (the gateway's ssh processes).
tree_cpu() {
  local total=0 p
  for p in "$1" $(pgrep -P "$1" || true); do total=$(awk -v a="$total" -v b="$(cpu_of "$p")" 'BEGIN { printf "%.2f", a + b }'); done
  echo "$total"
}

[ -x /usr/sbin/sshd ] || die "/usr/sbin/sshd is missing (apt-get install -y openssh-server openssh-sftp-server)"
require_tools "apt-get install -y openssh-client curl python3" ssh sftp ssh-keygen curl python3 dotnet sha256sum
LOAD_BEFORE=$(loadavg)

# ---------------------------------------------------------------- build + data
build_gateway

mkdir -p "$WORK"
FILE=$WORK/random-$SIZE_MIB.bin
if [ ! -f "$FILE.sha256" ]; then
  log "generating $SIZE_MIB MiB of random data in $FILE"
  head -c "$((SIZE_MIB << 20))" /dev/urandom >"$FILE"
  sha256sum "$FILE" | cut -d' ' -f1 >"$FILE.sha256"
fi
BYTES=$(stat -c %s "$FILE")
ID=$(cat "$FILE.sha256")
cat "$FILE" >/dev/null  # page cache warm for both uploaders

# ---------------------------------------------------------------- private sshd (as the test fixture)
S=$WORK/sshd
rm -rf "$S"; mkdir -p "$S/data/gateway" "$S/data/openssh" /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$S/host_ed25519"
ssh-keygen -q -t ed25519 -N '' -f "$S/client_ed25519"
cp "$S/client_ed25519.pub" "$S/authorized_keys"
SSH_PORT=$(free_port)
echo "[127.0.0.1]:$SSH_PORT $(cut -d' ' -f1-2 "$S/host_ed25519.pub")" >"$S/known_hosts"
cat >"$S/sshd_config" <<CONF
Port $SSH_PORT
ListenAddress 127.0.0.1
HostKey $S/host_ed25519
PidFile $S/sshd.pid
AuthorizedKeysFile $S/authorized_keys
StrictModes no
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
PermitRootLogin yes
Subsystem sftp internal-sftp
CONF
/usr/sbin/sshd -D -e -f "$S/sshd_config" 2>"$WORK/sshd.log" &
PIDS+=($!)
wait_port "$SSH_PORT" || die "sshd did not listen (see $WORK/sshd.log)"

SFTP=(sftp -q -i "$S/client_ed25519" -o IdentitiesOnly=yes -o UserKnownHostsFile="$S/known_hosts"
      -o StrictHostKeyChecking=yes -o BatchMode=yes -P "$SSH_PORT")
sftp_batch() { printf '%s\n' "$@" >"$WORK/batch"; "${SFTP[@]}" -b "$WORK/batch" root@127.0.0.1 >/dev/null; }
# user+sys CPU seconds of this shell's finished children so far (bash `times`, second line); sftp waits
# for its ssh, so a delta around sftp_batch is the CPU of the whole OpenSSH client side.
# `times` must run in this shell, not in a $(…) subshell, so it writes to a file that is parsed afterwards.
children_cpu() { times >"$WORK/times"; tail -n1 "$WORK/times" | awk '{ n = 0; for (i = 1; i <= 2; i++) { split($i, p, "m"); sub("s", "", p[2]); n += p[1] * 60 + p[2] } printf "%.2f", n }'; }
OS_CPU=0
add_os_cpu() { OS_CPU=$(awk -v a="$OS_CPU" -v b="$1" -v c="$2" 'BEGIN { printf "%.2f", a + c - b }'); }

# ---------------------------------------------------------------- gateway
HTTP_PORT=$(free_port)
# shellcheck disable=SC2086 # GATEWAY_FLAGS is a word list on purpose
"$GATEWAY" serve restic "sftp:root@127.0.0.1:$SSH_PORT$S/data/gateway" --no-auth --addr "127.0.0.1:$HTTP_PORT" \
  --sftp-key-file "$S/client_ed25519" --sftp-known-hosts-file "$S/known_hosts" $GATEWAY_FLAGS 2>"$WORK/gateway.log" &
GW_PID=$!
PIDS+=("$GW_PID")
wait_port "$HTTP_PORT" || die "the gateway did not listen (see $WORK/gateway.log)"
URL=http://127.0.0.1:$HTTP_PORT
curl -fsS -X POST "$URL/?create=true" >/dev/null || die "could not create the repository layout"

# ---------------------------------------------------------------- rounds
GW_UP=() GW_DOWN=() OS_UP=() OS_DOWN=() OS_CONNECT=()
for round in $(seq 1 "$REPEAT"); do
  log "round $round/$REPEAT"
  t0=$(now)
  curl -fsS -X POST -H 'Content-Type: application/octet-stream' -T "$FILE" "$URL/data/$ID" >/dev/null  # -T streams; --data-binary @ would load it into memory
  t1=$(now)
  GW_UP+=("$(elapsed "$t0" "$t1")")
  [ "$(stat -c %s "$S/data/gateway/data/${ID:0:2}/$ID")" = "$BYTES" ] || die "the gateway's upload has the wrong size on the server"
  t0=$(now)
  curl -fsS "$URL/data/$ID" -o /dev/null
  t1=$(now)
  GW_DOWN+=("$(elapsed "$t0" "$t1")")
  curl -fsS -X DELETE "$URL/data/$ID" >/dev/null

  children_cpu >"$WORK/c0"; t0=$(now)
  sftp_batch "put -f $FILE $S/data/openssh/blob"
  t1=$(now); children_cpu >"$WORK/c1"; add_os_cpu "$(cat "$WORK/c0")" "$(cat "$WORK/c1")"
  OS_UP+=("$(elapsed "$t0" "$t1")")
  [ "$(stat -c %s "$S/data/openssh/blob")" = "$BYTES" ] || die "sftp's upload has the wrong size on the server"
  children_cpu >"$WORK/c0"; t0=$(now)
  sftp_batch "get $S/data/openssh/blob /dev/null"
  t1=$(now); children_cpu >"$WORK/c1"; add_os_cpu "$(cat "$WORK/c0")" "$(cat "$WORK/c1")"
  OS_DOWN+=("$(elapsed "$t0" "$t1")")
  rm -f "$S/data/openssh/blob"
  # sftp's timings include its ssh connect + login; the gateway's connection is already open. Shown, not subtracted.
  t0=$(now)
  sftp_batch "pwd"
  t1=$(now)
  OS_CONNECT+=("$(elapsed "$t0" "$t1")")
  log "  gateway up ${GW_UP[-1]} s, down ${GW_DOWN[-1]} s; sftp put ${OS_UP[-1]} s, get ${OS_DOWN[-1]} s"
done
GW_CPU=$(tree_cpu "$GW_PID") GW_OWN_CPU=$(cpu_of "$GW_PID") GW_SSH=$(pgrep -c -P "$GW_PID" || true)
stop_pid "$GW_PID"
LOAD_AFTER=$(loadavg)

# ---------------------------------------------------------------- summary
gu=$(median "${GW_UP[@]}") gd=$(median "${GW_DOWN[@]}") ou=$(median "${OS_UP[@]}") od=$(median "${OS_DOWN[@]}")
row() { printf '%-34s %12s %12s %8s %8s\n' "$@"; }
echo
echo "SFTP bench: $SIZE_MIB MiB file, $REPEAT rounds (medians), $(date -u +%FT%TZ), $(nproc) cores, load before $LOAD_BEFORE / after $LOAD_AFTER"
echo "gateway: serve restic sftp: $GATEWAY_FLAGS (curl POST/GET); reference: OpenSSH $(ssh -V 2>&1 | cut -d, -f1) sftp -b put -f / get"
row "measure" "gateway" "openssh" "ratio" "target"
row "upload (s)" "$gu" "$ou" "" ""
row "upload throughput (MB/s)" "$(mbps "$BYTES" "$gu")" "$(mbps "$BYTES" "$ou")" "$(ratio "$ou" "$gu")" ">= 0.8"
row "download (s)" "$gd" "$od" "" ""
row "download throughput (MB/s)" "$(mbps "$BYTES" "$gd")" "$(mbps "$BYTES" "$od")" "$(ratio "$od" "$gd")" ">= 0.8"
echo "every round (s): gateway up ${GW_UP[*]} | down ${GW_DOWN[*]} | sftp put ${OS_UP[*]} | get ${OS_DOWN[*]}"
echo "sftp connect + login alone (an empty session), included in its times: median $(median "${OS_CONNECT[@]}") s"
echo "CPU, all rounds: gateway process + its ssh children (start to stop) $GW_CPU s (the .NET process alone $GW_OWN_CPU s, $GW_SSH ssh processes the rest); sftp + its ssh (transfers only) $OS_CPU s; ratio $(ratio "$GW_CPU" "$OS_CPU")"
