#!/usr/bin/env bash
# restic through `gateway serve restic local:` vs rest-server 0.14.0 vs `rclone serve restic` vs a plain
# local restic repository; then start-up time (exec -> first answered request) of each server.
#
#   bench/restic-bench.sh            # 1 GiB data set (generated once, deterministic), dist/gateway
#   SIZE_MIB=2048 AUTH_REQUESTS=2000 REPEAT=5 bench/restic-bench.sh
#   GATEWAY=build bench/restic-bench.sh          # the Release build of src/Cli (dotnet, JIT) instead
#   ALT_GATEWAY=build bench/restic-bench.sh      # dist/gateway and, in the same rounds, the JIT build
#   GATEWAY=/path/to/gateway bench/restic-bench.sh   # any gateway binary (relative: to the repo root)
#   GATEWAY_FLAGS="--max-size 10G" bench/restic-bench.sh   # experiments: extra flags for (a) and (f)
#   NOVERIFY_REFERENCE=0 bench/restic-bench.sh   # skip (d), the gateway with --no-verify-upload
#
# Which gateway: GATEWAY names the binary of target (a); default dist/gateway (the NativeAOT binary
# packaging/publish.sh builds, what users run) when it exists, else `build`: the Release build of
# src/Cli, made by this script (`dotnet build`, JIT with tiering off; BENCH_NO_BUILD=1 reuses it).
# dist/gateway is not rebuilt here (a NativeAOT publish takes minutes): the script warns when a source
# file is newer than it. ALT_GATEWAY (a path or `build`) adds target (f), a second gateway binary run
# with the same flags in every round, so that two builds are compared on the same machine state.
#
# For each target, in one run: restic init, backup (timed), restore (timed); the server's CPU seconds
# (user+sys from /proc/PID/stat just before it is stopped) cover start+init+backup+restore, and the
# reading at ready (port open) splits off the start. A target with --no-verify-upload, and the CPU
# seconds OpenSSL needs to SHA-256 the data set show what the verification costs (the floor the CPU
# ratio cannot go below). The
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

# ---------------------------------------------------------------- gateway binaries + data set
# gateway_bin SPEC -> the binary: `build` is the Release build of src/Cli (built once per run).
gateway_bin() {
  if [ "$1" = build ]; then
    printf '%s\n' "$BUILT_GATEWAY"
  else
    printf '%s\n' "$1"
  fi
}
# gateway_desc BIN -> the binary and how it runs (the build output has its gateway.dll next to the
# apphost); a published binary is not rebuilt here, so say so when a source file is newer than it.
gateway_desc() {
  local bin; bin=$(readlink -f "$1")
  if [ -f "$(dirname "$bin")/gateway.dll" ]; then
    echo "$1 (framework-dependent build, JIT)"
  elif [ -n "$(find "$ROOT/src" \( -name bin -o -name obj \) -prune -o -name '*.cs' -newer "$bin" -print -quit)" ]; then
    log "WARNING: $1 is older than the sources under src/: run packaging/publish.sh to measure the current code"
    echo "$1 (self-contained publish, OLDER than src/)"
  else
    echo "$1 (self-contained publish)"
  fi
}
GATEWAY_SPEC=${GATEWAY:-}
if [ -z "$GATEWAY_SPEC" ]; then
  if [ -x "$ROOT/dist/gateway" ]; then GATEWAY_SPEC=$ROOT/dist/gateway; else GATEWAY_SPEC=build; fi
fi
ALT_SPEC=${ALT_GATEWAY:-}
BUILT_GATEWAY=
if [ "$GATEWAY_SPEC" = build ] || [ "$ALT_SPEC" = build ]; then
  build_gateway
  BUILT_GATEWAY=$GATEWAY
fi
GATEWAY=$(gateway_bin "$GATEWAY_SPEC")
[ -x "$GATEWAY" ] || die "$GATEWAY is not an executable gateway binary (run packaging/publish.sh, or set GATEWAY=build)"
GATEWAY_DESC=$(gateway_desc "$GATEWAY")
ALT=
if [ -n "$ALT_SPEC" ]; then
  ALT=$(gateway_bin "$ALT_SPEC")
  [ -x "$ALT" ] || die "ALT_GATEWAY: $ALT is not an executable gateway binary"
  GATEWAY_DESC+="; (f) $(gateway_desc "$ALT")"
fi
log "gateway: $GATEWAY_DESC"

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
# Per target, the values of every round, space-separated (median takes them as they are).
declare -A BACKUP RESTORE CPU READY BCPU USER SYS
# run_round NAME REPO_URL [SERVER_PID]: one round of target NAME; appends its values
run_round() {
  local name=$1 repo=$2 pid=${3:-} run=$WORK/run-$1 t0 t1 backup_s restore_s ready=n/a backup_cpu=n/a
  rm -rf "$run" && mkdir -p "$run"
  export RESTIC_CACHE_DIR=$run/cache
  [ -n "$pid" ] && ready=$(cpu_seconds "$pid")
  restic -r "$repo" init -q >/dev/null
  t0=$(now)
  restic -r "$repo" backup -q "$DATA/tree" >/dev/null
  t1=$(now); backup_s=$(elapsed "$t0" "$t1")
  [ -n "$pid" ] && backup_cpu=$(cpu_seconds "$pid")
  t0=$(now)
  restic -r "$repo" restore latest -q --target "$run/restore" >/dev/null
  t1=$(now); restore_s=$(elapsed "$t0" "$t1")
  local cpu=n/a user=n/a sys=n/a
  [ -n "$pid" ] && cpu=$(cpu_seconds "$pid") user=$(user_seconds "$pid") sys=$(sys_seconds "$pid")
  # Restored bytes must match the data set (a cheap guard against measuring a failed run).
  local restored; restored=$(du -sb "$run/restore$DATA/tree" | cut -f1)
  [ "$restored" = "$DATA_BYTES" ] || die "$name: restored $restored bytes, expected $DATA_BYTES"
  rm -rf "$run/restore"
  BACKUP[$name]+="$backup_s " RESTORE[$name]+="$restore_s "
  if [ -n "$pid" ]; then
    CPU[$name]+="$cpu " READY[$name]+="$ready " BCPU[$name]+="$backup_cpu " USER[$name]+="$user " SYS[$name]+="$sys "
  fi
  log "$name: backup ${backup_s}s restore ${restore_s}s server CPU ${cpu}s (${ready}s at ready, ${backup_cpu}s after init+backup)"
}

start_server() {  # start_server LOGFILE CMD... -> sets SERVER_PID, waits for $PORT
  local logfile=$1; shift
  "$@" >"$logfile" 2>&1 &
  SERVER_PID=$!
  PIDS+=("$SERVER_PID")
  wait_port "$PORT" || { cat "$logfile" >&2; die "server did not open port $PORT: $*"; }
}

# server_round NAME CMD... (CMD may use @PORT@ and @REPO@): a fresh repository, the server, one round
server_round() {
  local name=$1 repo=$WORK/repo-$1 arg cmd=(); shift
  PORT=$(free_port); rm -rf "$repo"; mkdir -p "$repo"
  for arg in "$@"; do arg=${arg//@PORT@/$PORT}; cmd+=("${arg//@REPO@/$repo}"); done
  start_server "$WORK/$name.log" "${cmd[@]}"
  run_round "$name" "rest:http://127.0.0.1:$PORT/" "$SERVER_PID"
  stop_pid "$SERVER_PID"; rm -rf "$repo"
}

# rest-server 0.14.0, the fair reference (it also verifies SHA-256 and fsyncs): shared/tools, see its README.
REST_SERVER=${REST_SERVER:-}
for d in "${SHARED_TOOLS_DIR:-}" "$ROOT/../shared/tools" "$ROOT/../../shared/tools"; do
  [ -z "$REST_SERVER" ] && [ -n "$d" ] && [ -x "$d/rest-server-0.14.0" ] && REST_SERVER=$d/rest-server-0.14.0
done
[ -n "$REST_SERVER" ] || die "rest-server-0.14.0 not found: set SHARED_TOOLS_DIR (or REST_SERVER) to it (see shared/tools/README.md)"

# GATEWAY_FLAGS is a word list on purpose (experiments, e.g. --no-verify-upload).
read -r -a GW_FLAGS <<<"${GATEWAY_FLAGS:-}"
# The targets run interleaved, REPEAT times; the summary takes medians (the box is shared and noisy).
for round in $(seq 1 "$REPEAT"); do
  log "round $round of $REPEAT"
  # (a) gateway serve restic local: (defaults: SHA-256 verification on, fsync on)
  server_round gateway "$GATEWAY" serve restic "local:@REPO@" --no-auth --addr "127.0.0.1:@PORT@" "${GW_FLAGS[@]}"
  # (f) a second gateway binary, same flags
  [ -z "$ALT" ] || server_round gateway-alt "$ALT" serve restic "local:@REPO@" --no-auth --addr "127.0.0.1:@PORT@" "${GW_FLAGS[@]}"
  # (b) rclone serve restic (a Go REST server; `env` execs rclone, so the PID is rclone's)
  server_round rclone env RCLONE_CONFIG=/dev/null rclone serve restic @REPO@ --addr "127.0.0.1:@PORT@"
  # (e) rest-server 0.14.0
  server_round rest-server "$REST_SERVER" --path @REPO@ --listen "127.0.0.1:@PORT@" --no-auth
  # (d) the gateway without SHA-256 verification of uploads: shows what the verification costs
  [ "$NOVERIFY_REFERENCE" != 1 ] || server_round gateway-noverify "$GATEWAY" serve restic "local:@REPO@" --no-auth --no-verify-upload --addr "127.0.0.1:@PORT@"
  # (c) restic's own local backend, no server
  rm -rf "$WORK/repo-local"
  run_round local "$WORK/repo-local"
  rm -rf "$WORK/repo-local"
done
declare -A R
# med KEY ARRAY TARGET: R[KEY] = the median of ARRAY[TARGET]
med() { local -n values=$2; R[$1]=$(median "${values[$3]}"); }
for t in gateway:gw gateway-alt:alt rclone:rc rest-server:rs gateway-noverify:nv local:lo; do
  name=${t%%:*} k=${t#*:}
  [ -n "${BACKUP[$name]:-}" ] || continue
  med "${k}_backup" BACKUP "$name"; med "${k}_restore" RESTORE "$name"
  [ "$name" = local ] && continue
  med "${k}_cpu" CPU "$name"; med "${k}_start" READY "$name"; med "${k}_bcpu" BCPU "$name"
  med "${k}_user" USER "$name"; med "${k}_sys" SYS "$name"
  # CPU after ready: what init, backup and restore cost, without the start-up
  R[${k}_run]=$(median "$(paste -d' ' <(tr -s ' ' '\n' <<<"${CPU[$name]}") <(tr -s ' ' '\n' <<<"${READY[$name]}") | awk 'NF == 2 { printf "%.2f ", $1 - $2 }')")
done

# The CPU the upload verification needs at least: SHA-256 over the data set's bytes, by OpenSSL (the
# library .NET's SHA256 calls; SHA-NI when the CPU has it). Every byte restic uploads is hashed once.
SHA_S=$( { TIMEFORMAT=%U; time (find "$DATA/tree" -type f -print0 | xargs -0 cat | openssl dgst -sha256 >/dev/null); } 2>&1 )
R[sha]=$(awk -v s="$SHA_S" 'BEGIN { printf "%.2f", s }')
R[floor]=$(awk -v a="${R[rc_cpu]}" -v b="${R[sha]}" 'BEGIN { printf "%.2f", a + b }')

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
# vs_rest_server LABEL KEY: the rows of one gateway target (R[KEY_*]) against rest-server, with its CPU split
vs_rest_server() {
  local l=$1 k=$2
  row "${l}backup wall s (vs rest-server)" "${R[${k}_backup]}" "${R[rs_backup]}" "$(ratio "${R[${k}_backup]}" "${R[rs_backup]}")" "<=0.95" "$(verdict "$(ratio "${R[${k}_backup]}" "${R[rs_backup]}")" 0.95)"
  row "${l}restore wall s (vs rest-server)" "${R[${k}_restore]}" "${R[rs_restore]}" "$(ratio "${R[${k}_restore]}" "${R[rs_restore]}")" "<=0.95" "$(verdict "$(ratio "${R[${k}_restore]}" "${R[rs_restore]}")" 0.95)"
  row "${l}server CPU s (vs rest-server)" "${R[${k}_cpu]}" "${R[rs_cpu]}" "$(ratio "${R[${k}_cpu]}" "${R[rs_cpu]}")" "<=0.90" "$(verdict "$(ratio "${R[${k}_cpu]}" "${R[rs_cpu]}")" 0.90)"
  row "  at ready (start-up)" "${R[${k}_start]}" "${R[rs_start]}" "$(ratio "${R[${k}_start]}" "${R[rs_start]}")" "-" "-"
  row "  after ready (init+backup+restore)" "${R[${k}_run]}" "${R[rs_run]}" "$(ratio "${R[${k}_run]}" "${R[rs_run]}")" "-" "-"
  row "  user s" "${R[${k}_user]}" "${R[rs_user]}" "$(ratio "${R[${k}_user]}" "${R[rs_user]}")" "-" "-"
  row "  sys s" "${R[${k}_sys]}" "${R[rs_sys]}" "$(ratio "${R[${k}_sys]}" "${R[rs_sys]}")" "-" "-"
}
row() { printf '%-34s %10s %10s %8s %8s  %s\n' "$@"; }
{
  echo "restic-bench $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(cpu_model)), restic $(restic version | cut -d' ' -f2), $(rclone version | head -n1)"
  echo "data set: $((DATA_BYTES >> 20)) MiB in $DATA_FILES files (seed $SEED); medians of $REPEAT rounds; auth: $AUTH_REQUESTS HEAD /config on 4 parallel keep-alive connections after restic init (credential cache warm), medians of $AUTH_REPEAT rounds"
  echo "gateway: $GATEWAY_DESC"
  [ -n "${GATEWAY_FLAGS:-}" ] && echo "gateway extra flags: $GATEWAY_FLAGS"
  echo "load average before: $LOAD_BEFORE, after: $(loadavg)"
  echo
  row "measure" "gateway" "reference" "ratio" "target" "verdict"
  vs_rest_server "" gw
  if [ -n "$ALT" ]; then
    vs_rest_server "(f) " alt
    row "server CPU s, (a) vs (f)" "${R[gw_cpu]}" "${R[alt_cpu]}" "$(ratio "${R[gw_cpu]}" "${R[alt_cpu]}")" "-" "the two gateway binaries"
  fi
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
