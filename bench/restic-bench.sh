#!/usr/bin/env bash
# restic through `gateway serve restic local:` vs rest-server 0.14.0 vs `rclone serve restic` vs a plain
# local restic repository; then start-up time (exec -> first answered request) of each server.
#
#   bench/restic-bench.sh            # 1 GiB data set (generated once, deterministic), Release build
#   SIZE_MIB=2048 AUTH_REQUESTS=2000 REPEAT=5 bench/restic-bench.sh
#   GATEWAY_FLAGS="--max-size 10G" bench/restic-bench.sh   # experiments: extra flags for (a)
#   NOVERIFY_REFERENCE=0 bench/restic-bench.sh   # skip (d), the gateway with --no-verify-upload
#
# For each target, in one run: restic init, backup (timed), restore (timed); the server's CPU seconds
# (user+sys from /proc/PID/stat just before it is stopped) cover start+init+backup+restore. A fourth
# target, the gateway with --no-verify-upload, and the CPU seconds OpenSSL needs to SHA-256 the data
# set show what the verification costs (the floor the CPU ratio cannot go below). The
# targets run interleaved REPEAT times (default 3) and the summary shows medians. Then N authenticated
# HEAD /config requests against a bcrypt cost-10 htpasswd vs --no-auth. Only 127.0.0.1 is used; every
# process this script starts is stopped by its PID. Prints a summary table with the ratios and targets.
set -euo pipefail

# shellcheck source-path=SCRIPTDIR source=lib.sh
. "$(dirname "$0")/lib.sh"

cd "$ROOT"
SIZE_MIB=${SIZE_MIB:-1024}
SEED=${SEED:-42}
AUTH_REQUESTS=${AUTH_REQUESTS:-1000}
REPEAT=${REPEAT:-3}
AUTH_REPEAT=${AUTH_REPEAT:-5}
WORK=${BENCH_DIR:-$ROOT/bench/out}
NOVERIFY_REFERENCE=${NOVERIFY_REFERENCE:-1}
DATA=$WORK/dataset-$SIZE_MIB-$SEED
export RESTIC_PASSWORD=bench-password

require_tools "apt-get install -y restic rclone apache2-utils curl openssl" restic rclone htpasswd curl python3 dotnet openssl

LOAD_BEFORE=$(loadavg)

# ---------------------------------------------------------------- build + data set
build_gateway

mkdir -p "$WORK"
if [ ! -f "$DATA/.complete" ]; then
  log "generating $SIZE_MIB MiB data set in $DATA (seed $SEED)"
  rm -rf "$DATA"
  python3 "$ROOT/bench/gen-dataset.py" "$DATA/tree" "$SIZE_MIB" "$SEED" >&2
  touch "$DATA/.complete"
fi
DATA_BYTES=$(du -sb "$DATA/tree" | cut -f1)
DATA_FILES=$(find "$DATA/tree" -type f | wc -l)

# ---------------------------------------------------------------- one backup/restore round
# run_round NAME REPO_URL [SERVER_PID]  -> sets BACKUP_S RESTORE_S SERVER_CPU
run_round() {
  local name=$1 repo=$2 pid=${3:-} run=$WORK/run-$1 t0 t1
  rm -rf "$run" && mkdir -p "$run"
  export RESTIC_CACHE_DIR=$run/cache
  restic -r "$repo" init -q >/dev/null
  t0=$(now)
  restic -r "$repo" backup -q "$DATA/tree" >/dev/null
  t1=$(now); BACKUP_S=$(elapsed "$t0" "$t1")
  BACKUP_CPU=n/a
  [ -n "$pid" ] && BACKUP_CPU=$(cpu_seconds "$pid")
  t0=$(now)
  restic -r "$repo" restore latest -q --target "$run/restore" >/dev/null
  t1=$(now); RESTORE_S=$(elapsed "$t0" "$t1")
  SERVER_CPU=n/a SERVER_USER=n/a SERVER_SYS=n/a
  [ -n "$pid" ] && SERVER_CPU=$(cpu_seconds "$pid") SERVER_USER=$(user_seconds "$pid") SERVER_SYS=$(sys_seconds "$pid")
  # Restored bytes must match the data set (a cheap guard against measuring a failed run).
  local restored; restored=$(du -sb "$run/restore$DATA/tree" | cut -f1)
  [ "$restored" = "$DATA_BYTES" ] || die "$name: restored $restored bytes, expected $DATA_BYTES"
  rm -rf "$run/restore"
  log "$name: backup ${BACKUP_S}s restore ${RESTORE_S}s server CPU ${SERVER_CPU}s (${BACKUP_CPU}s after init+backup)"
}

start_server() {  # start_server LOGFILE CMD... -> sets SERVER_PID, waits for $PORT
  local logfile=$1; shift
  "$@" >"$logfile" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  wait_port "$PORT" || { cat "$logfile" >&2; die "server did not open port $PORT: $*"; }
}

declare -A R
GW_B=() GW_R=() GW_C=() GW_S=() GW_BC=() GW_U=() GW_Y=() RC_B=() RC_R=() RC_C=() RC_BC=() RC_U=() RC_Y=() LO_B=() LO_R=()
NV_B=() NV_R=() NV_C=() RS_B=() RS_R=() RS_C=()

# rest-server 0.14.0, the fair reference (it also verifies SHA-256 and fsyncs): shared/tools, see its README.
REST_SERVER=${REST_SERVER:-}
for d in "${SHARED_TOOLS_DIR:-}" "$ROOT/../shared/tools" "$ROOT/../../shared/tools"; do
  [ -z "$REST_SERVER" ] && [ -n "$d" ] && [ -x "$d/rest-server-0.14.0" ] && REST_SERVER=$d/rest-server-0.14.0
done
[ -n "$REST_SERVER" ] || die "rest-server-0.14.0 not found: set SHARED_TOOLS_DIR (or REST_SERVER) to it (see shared/tools/README.md)"

# The three targets run interleaved, REPEAT times; the summary takes medians (the box is shared and noisy).
for round in $(seq 1 "$REPEAT"); do
  log "round $round of $REPEAT"

  # (a) gateway serve restic local: (Release build, defaults: SHA-256 verification on, fsync on)
  PORT=$(free_port); rm -rf "$WORK/repo-gateway"; mkdir -p "$WORK/repo-gateway"
  # shellcheck disable=SC2086 # GATEWAY_FLAGS is a word list on purpose (experiments, e.g. --no-verify-upload)
  start_server "$WORK/gateway.log" "$GATEWAY" serve restic "local:$WORK/repo-gateway" --no-auth --addr "127.0.0.1:$PORT" ${GATEWAY_FLAGS:-}
  START_CPU=$(cpu_seconds "$SERVER_PID")
  run_round gateway "rest:http://127.0.0.1:$PORT/" "$SERVER_PID"
  GW_B+=("$BACKUP_S") GW_R+=("$RESTORE_S") GW_C+=("$SERVER_CPU") GW_S+=("$START_CPU") GW_BC+=("$BACKUP_CPU") GW_U+=("$SERVER_USER") GW_Y+=("$SERVER_SYS")
  stop_pid "$SERVER_PID"; rm -rf "$WORK/repo-gateway"

  # (b) rclone serve restic (a Go REST server; `env` execs rclone, so the PID is rclone's)
  PORT=$(free_port); rm -rf "$WORK/repo-rclone"; mkdir -p "$WORK/repo-rclone"
  start_server "$WORK/rclone.log" env RCLONE_CONFIG=/dev/null rclone serve restic "$WORK/repo-rclone" --addr "127.0.0.1:$PORT"
  run_round rclone "rest:http://127.0.0.1:$PORT/" "$SERVER_PID"
  RC_B+=("$BACKUP_S") RC_R+=("$RESTORE_S") RC_C+=("$SERVER_CPU") RC_BC+=("$BACKUP_CPU") RC_U+=("$SERVER_USER") RC_Y+=("$SERVER_SYS")
  stop_pid "$SERVER_PID"; rm -rf "$WORK/repo-rclone"

  # (e) rest-server 0.14.0
  PORT=$(free_port); rm -rf "$WORK/repo-rest-server"; mkdir -p "$WORK/repo-rest-server"
  start_server "$WORK/rest-server.log" "$REST_SERVER" --path "$WORK/repo-rest-server" --listen "127.0.0.1:$PORT" --no-auth
  run_round rest-server "rest:http://127.0.0.1:$PORT/" "$SERVER_PID"
  RS_B+=("$BACKUP_S") RS_R+=("$RESTORE_S") RS_C+=("$SERVER_CPU")
  stop_pid "$SERVER_PID"; rm -rf "$WORK/repo-rest-server"

  # (d) the gateway without SHA-256 verification of uploads: shows what the verification costs
  if [ "$NOVERIFY_REFERENCE" = 1 ]; then
    PORT=$(free_port); rm -rf "$WORK/repo-noverify"; mkdir -p "$WORK/repo-noverify"
    start_server "$WORK/gateway-noverify.log" "$GATEWAY" serve restic "local:$WORK/repo-noverify" --no-auth --no-verify-upload --addr "127.0.0.1:$PORT"
    run_round gateway-noverify "rest:http://127.0.0.1:$PORT/" "$SERVER_PID"
    NV_B+=("$BACKUP_S") NV_R+=("$RESTORE_S") NV_C+=("$SERVER_CPU")
    stop_pid "$SERVER_PID"; rm -rf "$WORK/repo-noverify"
  fi

  # (c) restic's own local backend, no server
  rm -rf "$WORK/repo-local"
  run_round local "$WORK/repo-local"
  LO_B+=("$BACKUP_S") LO_R+=("$RESTORE_S")
  rm -rf "$WORK/repo-local"
done
R[gw_backup]=$(median "${GW_B[@]}") R[gw_restore]=$(median "${GW_R[@]}") R[gw_cpu]=$(median "${GW_C[@]}") R[gw_start]=$(median "${GW_S[@]}")
R[rc_backup]=$(median "${RC_B[@]}") R[rc_restore]=$(median "${RC_R[@]}") R[rc_cpu]=$(median "${RC_C[@]}")
R[rs_backup]=$(median "${RS_B[@]}") R[rs_restore]=$(median "${RS_R[@]}") R[rs_cpu]=$(median "${RS_C[@]}")
R[lo_backup]=$(median "${LO_B[@]}") R[lo_restore]=$(median "${LO_R[@]}")
R[gw_bcpu]=$(median "${GW_BC[@]}") R[rc_bcpu]=$(median "${RC_BC[@]}")
R[gw_user]=$(median "${GW_U[@]}") R[gw_sys]=$(median "${GW_Y[@]}") R[rc_user]=$(median "${RC_U[@]}") R[rc_sys]=$(median "${RC_Y[@]}")
if [ "$NOVERIFY_REFERENCE" = 1 ]; then
  R[nv_backup]=$(median "${NV_B[@]}") R[nv_restore]=$(median "${NV_R[@]}") R[nv_cpu]=$(median "${NV_C[@]}")
fi

# The CPU the upload verification needs at least: SHA-256 over the data set's bytes, by OpenSSL (the
# library .NET's SHA256 calls; SHA-NI when the CPU has it). Every byte restic uploads is hashed once.
SHA_S=$( { TIMEFORMAT=%U; time (find "$DATA/tree" -type f -print0 | xargs -0 cat | openssl dgst -sha256 >/dev/null); } 2>&1 )
R[sha]=$(awk -v s="$SHA_S" 'BEGIN { printf "%.2f", s }')
R[floor]=$(awk -v a="${R[rc_cpu]}" -v b="${R[sha]}" 'BEGIN { printf "%.2f", a + b }')
R[gw_cpu_run]=$(awk -v a="${R[gw_cpu]}" -v b="${R[gw_start]}" 'BEGIN { printf "%.2f", a - b }')

# ---------------------------------------------------------------- authentication cost
# AUTH_REQUESTS HEAD /config over keep-alive connections (4 in parallel), bcrypt cost 10 vs --no-auth.
auth_round() {  # auth_round NAME EXTRA_FLAGS... -> sets AUTH_S AUTH_CPU
  local name=$1; shift
  local repo=$WORK/repo-auth-$name cfg=$WORK/curl-$name.cfg t0 t1 user=""
  rm -rf "$repo"; mkdir -p "$repo"
  PORT=$(free_port)
  start_server "$WORK/gateway-auth-$name.log" "$GATEWAY" serve restic "local:$repo" --addr "127.0.0.1:$PORT" "$@"
  [ "$name" = bcrypt ] && user="bench:bench-pw@"
  local auth=(); [ "$name" = bcrypt ] && auth=(-u bench:bench-pw)
  # The very first request: for bcrypt this is the one full verification (cost 10); later ones hit the cache.
  FIRST_MS=$(curl -sS --noproxy '*' -o /dev/null --head -w '%{time_total}' "${auth[@]}" "http://127.0.0.1:$PORT/config" | awk '{ printf "%.1f", $1 * 1000 }')
  RESTIC_CACHE_DIR=$WORK/cache-auth restic -r "rest:http://${user}127.0.0.1:$PORT/" init -q >/dev/null
  : >"$cfg"
  for _ in $(seq 1 "$AUTH_REQUESTS"); do
    printf 'url = "http://127.0.0.1:%s/config"\noutput = "/dev/null"\n' "$PORT" >>"$cfg"
  done
  local cpu0; cpu0=$(cpu_seconds "$SERVER_PID")
  t0=$(now)
  curl -sS --no-progress-meter --noproxy '*' --fail --head --parallel --parallel-max 4 "${auth[@]}" --config "$cfg"
  t1=$(now)
  AUTH_S=$(elapsed "$t0" "$t1")
  AUTH_CPU=$(awk -v a="$cpu0" -v b="$(cpu_seconds "$SERVER_PID")" 'BEGIN { printf "%.2f", b - a }')
  stop_pid "$SERVER_PID"; rm -rf "$repo"
  log "auth $name: first request ${FIRST_MS} ms; $AUTH_REQUESTS requests in ${AUTH_S}s, server CPU ${AUTH_CPU}s"
}
htpasswd -c -b -B -C 10 "$WORK/bench.htpasswd" bench bench-pw 2>/dev/null
NA_S=() NA_C=() NA_F=() BC_S=() BC_C=() BC_F=()
for round in $(seq 1 "$AUTH_REPEAT"); do
  auth_round noauth --no-auth
  NA_S+=("$AUTH_S") NA_C+=("$AUTH_CPU") NA_F+=("$FIRST_MS")
  auth_round bcrypt --htpasswd-file "$WORK/bench.htpasswd"
  BC_S+=("$AUTH_S") BC_C+=("$AUTH_CPU") BC_F+=("$FIRST_MS")
done
R[na_s]=$(median "${NA_S[@]}") R[na_cpu]=$(median "${NA_C[@]}") R[bc_s]=$(median "${BC_S[@]}") R[bc_cpu]=$(median "${BC_C[@]}")
R[na_first]=$(median "${NA_F[@]}") R[bc_first]=$(median "${BC_F[@]}")

# ---------------------------------------------------------------- start-up time
# exec -> first answered request (HEAD /config, any status), polled every 5 ms; what every restic
# command pays with the rclone: backend, which starts a server per command.
startup_ms() {  # startup_ms NAME CMD... (CMD listens on $PORT) -> STARTUP_MS
  local name=$1 t0 t1; shift
  t0=$(now)
  "$@" >"$WORK/startup-$name.log" 2>&1 &
  local pid=$!; PIDS+=("$pid")
  until curl -s --noproxy '*' -o /dev/null --head "http://127.0.0.1:$PORT/config"; do
    kill -0 "$pid" 2>/dev/null || { cat "$WORK/startup-$name.log" >&2; die "$name exited before answering"; }
    sleep 0.005
  done
  t1=$(now)
  STARTUP_MS=$(awk -v s="$(elapsed "$t0" "$t1" "%.4f")" 'BEGIN { printf "%.0f", s * 1000 }')
  stop_pid "$pid"
}
SU_GW=() SU_RS=() SU_RC=()
mkdir -p "$WORK/repo-startup"
for _ in $(seq 1 "${STARTUP_REPEAT:-5}"); do
  PORT=$(free_port); startup_ms gateway "$GATEWAY" serve restic "local:$WORK/repo-startup" --no-auth --addr "127.0.0.1:$PORT"; SU_GW+=("$STARTUP_MS")
  PORT=$(free_port); startup_ms rest-server "$REST_SERVER" --path "$WORK/repo-startup" --listen "127.0.0.1:$PORT" --no-auth; SU_RS+=("$STARTUP_MS")
  PORT=$(free_port); startup_ms rclone env RCLONE_CONFIG=/dev/null rclone serve restic "$WORK/repo-startup" --addr "127.0.0.1:$PORT"; SU_RC+=("$STARTUP_MS")
done
R[su_gw]=$(median "${SU_GW[@]}") R[su_rs]=$(median "${SU_RS[@]}") R[su_rc]=$(median "${SU_RC[@]}")

# ---------------------------------------------------------------- summary
verdict() { awk -v r="$1" -v t="$2" 'BEGIN { if (r == "n/a") print "n/a"; else if (r <= t) print "ok"; else print "MISSED" }'; }
row() { printf '%-34s %10s %10s %8s %8s  %s\n' "$@"; }
{
  echo "restic-bench $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(cpu_model)), restic $(restic version | cut -d' ' -f2), $(rclone version | head -n1)"
  echo "data set: $((DATA_BYTES >> 20)) MiB in $DATA_FILES files (seed $SEED); medians of $REPEAT rounds; auth: $AUTH_REQUESTS HEAD /config on 4 parallel keep-alive connections after restic init (credential cache warm), medians of $AUTH_REPEAT rounds"
  [ -n "${GATEWAY_FLAGS:-}" ] && echo "gateway extra flags: $GATEWAY_FLAGS"
  echo "load average before: $LOAD_BEFORE, after: $(loadavg)"
  echo
  row "measure" "gateway" "reference" "ratio" "target" "verdict"
  row "backup wall s (vs rest-server)" "${R[gw_backup]}" "${R[rs_backup]}" "$(ratio "${R[gw_backup]}" "${R[rs_backup]}")" "<=0.95" "$(verdict "$(ratio "${R[gw_backup]}" "${R[rs_backup]}")" 0.95)"
  row "restore wall s (vs rest-server)" "${R[gw_restore]}" "${R[rs_restore]}" "$(ratio "${R[gw_restore]}" "${R[rs_restore]}")" "<=0.95" "$(verdict "$(ratio "${R[gw_restore]}" "${R[rs_restore]}")" 0.95)"
  row "server CPU s (vs rest-server)" "${R[gw_cpu]}" "${R[rs_cpu]}" "$(ratio "${R[gw_cpu]}" "${R[rs_cpu]}")" "<=0.90" "$(verdict "$(ratio "${R[gw_cpu]}" "${R[rs_cpu]}")" 0.90)"
  row "start-up ms, listening (rest-server)" "${R[su_gw]}" "${R[su_rs]}" "$(ratio "${R[su_gw]}" "${R[su_rs]}")" "<=100ms" "$(awk -v m="${R[su_gw]}" 'BEGIN { print (m <= 100 ? "ok" : "MISSED") }')"
  row "start-up ms, listening (rclone)" "${R[su_gw]}" "${R[su_rc]}" "$(ratio "${R[su_gw]}" "${R[su_rc]}")" "-" "-"
  row "backup wall s (vs rclone)" "${R[gw_backup]}" "${R[rc_backup]}" "$(ratio "${R[gw_backup]}" "${R[rc_backup]}")" "<=0.95" "$(verdict "$(ratio "${R[gw_backup]}" "${R[rc_backup]}")" 0.95)"
  row "restore wall s (vs rclone)" "${R[gw_restore]}" "${R[rc_restore]}" "$(ratio "${R[gw_restore]}" "${R[rc_restore]}")" "<=0.95" "$(verdict "$(ratio "${R[gw_restore]}" "${R[rc_restore]}")" 0.95)"
  row "server CPU s (vs rclone)" "${R[gw_cpu]}" "${R[rc_cpu]}" "$(ratio "${R[gw_cpu]}" "${R[rc_cpu]}")" "<=0.80" "$(verdict "$(ratio "${R[gw_cpu]}" "${R[rc_cpu]}")" 0.80)"
  row "  of which start + init + backup" "${R[gw_bcpu]}" "${R[rc_bcpu]}" "$(ratio "${R[gw_bcpu]}" "${R[rc_bcpu]}")" "-" "(gateway ${R[gw_start]} s at ready)"
  row "  user s" "${R[gw_user]}" "${R[rc_user]}" "$(ratio "${R[gw_user]}" "${R[rc_user]}")" "-" "-"
  row "  sys s" "${R[gw_sys]}" "${R[rc_sys]}" "$(ratio "${R[gw_sys]}" "${R[rc_sys]}")" "-" "-"
  row "  SHA-256 of the data set (openssl)" "${R[sha]}" "-" "-" "-" "CPU s the verification needs at least"
  row "  floor: rclone CPU + SHA-256" "${R[floor]}" "${R[rc_cpu]}" "$(ratio "${R[floor]}" "${R[rc_cpu]}")" "-" "best ratio possible with verification"
  row "backup wall s (vs local repo)" "${R[gw_backup]}" "${R[lo_backup]}" "$(ratio "${R[gw_backup]}" "${R[lo_backup]}")" "<=1.10" "$(verdict "$(ratio "${R[gw_backup]}" "${R[lo_backup]}")" 1.10)"
  row "restore wall s (vs local repo)" "${R[gw_restore]}" "${R[lo_restore]}" "$(ratio "${R[gw_restore]}" "${R[lo_restore]}")" "<=1.10" "$(verdict "$(ratio "${R[gw_restore]}" "${R[lo_restore]}")" 1.10)"
  if [ "$NOVERIFY_REFERENCE" = 1 ]; then
    row "--no-verify-upload: backup (rclone)" "${R[nv_backup]}" "${R[rc_backup]}" "$(ratio "${R[nv_backup]}" "${R[rc_backup]}")" "-" "reference only"
    row "--no-verify-upload: restore (rclone)" "${R[nv_restore]}" "${R[rc_restore]}" "$(ratio "${R[nv_restore]}" "${R[rc_restore]}")" "-" "reference only"
    row "--no-verify-upload: CPU s (rclone)" "${R[nv_cpu]}" "${R[rc_cpu]}" "$(ratio "${R[nv_cpu]}" "${R[rc_cpu]}")" "-" "reference only"
  fi
  row "auth wall s (bcrypt-10 vs no-auth)" "${R[bc_s]}" "${R[na_s]}" "$(ratio "${R[bc_s]}" "${R[na_s]}")" "<=1.20" "$(verdict "$(ratio "${R[bc_s]}" "${R[na_s]}")" 1.20)"
  row "auth server CPU s (bcrypt vs none)" "${R[bc_cpu]}" "${R[na_cpu]}" "$(ratio "${R[bc_cpu]}" "${R[na_cpu]}")" "-" "-"
  row "first request ms (bcrypt vs none)" "${R[bc_first]}" "${R[na_first]}" "$(ratio "${R[bc_first]}" "${R[na_first]}")" "-" "one bcrypt-10 check"
} | tee "$WORK/summary-$(date -u +%Y%m%dT%H%M%SZ).txt"
