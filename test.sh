#!/usr/bin/env bash
# The project's test command: installs the external tools the integration tests drive (only when one is
# missing), builds the solution once, runs every test project, and ends with one summary line:
#   N passed, N failed[, N skipped]
# Exit code 0 only when every project ran and no test failed. Works unattended (CI=true, no stdin).
#
#   ./test.sh                        # everything
#   TEST_FILTER='FullyQualifiedName~Restic' ./test.sh
#   CONFIGURATION=Debug ./test.sh
set -euo pipefail

cd "$(dirname "$0")"
ROOT=$PWD
CONFIGURATION=${CONFIGURATION:-Release}
RESULTS=${RESULTS_DIR:-$ROOT/TestResults}
# tests/TestSupport is the library these share, not a test project: it is built, never run or counted.
PROJECTS=(tests/UnitTests tests/ConformanceTests tests/IntegrationTests)
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '[test.sh] %s\n' "$*" >&2; }

# ---------------------------------------------------------------- tools
# command (or path: a file or package directory) -> Debian package; the integration tests fail
# (never skip) when one is missing. /usr/bin/aws is Debian's aws-cli v2 (the `aws` on PATH may be
# the machine's pip aws-cli 1.x, which the tests also use); boto3 and azure.storage.blob must import under /usr/bin/python3.
declare -A PACKAGE_OF=([restic]=restic [rclone]=rclone [htpasswd]=apache2-utils [openssl]=openssl [curl]=curl
                       [ssh]=openssh-client [sshd]=openssh-server [/usr/lib/openssh/sftp-server]=openssh-sftp-server
                       [/usr/bin/aws]=awscli [s3cmd]=s3cmd [/usr/lib/python3/dist-packages/boto3]=python3-boto3
                       [/usr/lib/python3/dist-packages/azure/storage/blob]=python3-azure)
missing=()
for tool in "${!PACKAGE_OF[@]}"; do
  command -v "$tool" >/dev/null 2>&1 || [ -x "$tool" ] || missing+=("${PACKAGE_OF[$tool]}")
done
if ((${#missing[@]})); then
  log "installing missing tools: ${missing[*]}"
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { log "need root (or sudo) to apt-get install ${missing[*]}"; exit 2; }
    SUDO=(sudo -n)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update </dev/null
  "${SUDO[@]}" apt-get install -y --no-install-recommends "${missing[@]}" </dev/null
fi
# ---- packaging (issue 14): the .deb test (tests/IntegrationTests/Packaging) builds the package with
# dpkg-deb, installs it, and checks the installed units with systemd-analyze (apt systemd; its
# `verify` works on unit files without systemd running as PID 1).
if ! command -v systemd-analyze >/dev/null 2>&1; then
  log "installing systemd (for systemd-analyze)"
  [ "$(id -u)" -eq 0 ] || { log "need root to apt-get install systemd (the package test also installs a .deb)"; exit 2; }
  export DEBIAN_FRONTEND=noninteractive
  apt-get update </dev/null
  apt-get install -y --no-install-recommends systemd </dev/null
fi
# ---- chromium (issue 14 status page): the status page test loads /_gateway/status in headless
# Chromium (--dump-dom and --screenshot) to check what its JavaScript renders.
if ! command -v chromium >/dev/null 2>&1; then
  log "installing chromium"
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { log "need root (or sudo) to apt-get install chromium"; exit 2; }
    SUDO=(sudo -n)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update </dev/null
  "${SUDO[@]}" apt-get install -y --no-install-recommends chromium </dev/null
  command -v chromium >/dev/null 2>&1 || { log "chromium is still missing after apt-get install"; exit 2; }
fi
# ---- S3 backend and scale-out (issue 10): s3rver (npm) is a backing S3 server for the s3 backend's
# conformance suite; nginx is the round-robin load balancer of the scale-out test.
command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || {
  log "installing nginx"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update </dev/null && apt-get install -y --no-install-recommends nginx </dev/null
}
command -v s3rver >/dev/null 2>&1 || {
  command -v npm >/dev/null 2>&1 || { export DEBIAN_FRONTEND=noninteractive; apt-get update </dev/null; apt-get install -y --no-install-recommends npm </dev/null; }
  log "installing s3rver@3.7.1 (npm)"
  npm install -g --no-fund --no-audit s3rver@3.7.1 </dev/null
}
# ---- FTP servers (issue 11): vsftpd from apt; pure-ftpd conflicts with vsftpd as a package, so its
# .deb is unpacked (dpkg -x) into /usr/local/lib/vfsgateway-test/pure-ftpd, where the fixtures look.
PURE_FTPD_DIR=/usr/local/lib/vfsgateway-test/pure-ftpd
if [ ! -x /usr/sbin/vsftpd ] || [ ! -x "$PURE_FTPD_DIR/usr/sbin/pure-ftpd" ]; then
  log "installing FTP servers (vsftpd, pure-ftpd unpacked into $PURE_FTPD_DIR)"
  SUDO=()
  [ "$(id -u)" -ne 0 ] && SUDO=(sudo -n)
  export DEBIAN_FRONTEND=noninteractive
  "${SUDO[@]}" apt-get update </dev/null
  [ -x /usr/sbin/vsftpd ] || "${SUDO[@]}" apt-get install -y --no-install-recommends vsftpd </dev/null
  if [ ! -x "$PURE_FTPD_DIR/usr/sbin/pure-ftpd" ]; then
    deb_dir=$(mktemp -d)
    (cd "$deb_dir" && apt-get download pure-ftpd </dev/null)
    "${SUDO[@]}" mkdir -p "$PURE_FTPD_DIR"
    "${SUDO[@]}" dpkg -x "$deb_dir"/pure-ftpd_*.deb "$PURE_FTPD_DIR"
    rm -rf "$deb_dir"
  fi
fi
# ---- promtool (issue 8: `promtool check metrics` on a real scrape). Only the promtool binary of
# Debian's prometheus package: `apt-get install prometheus` would pull 332 MB, the .deb is 19 MB.
if ! command -v promtool >/dev/null 2>&1; then
  log "installing promtool (from Debian's prometheus package)"
  [ "$(id -u)" -eq 0 ] || { log "need root to install promtool into /usr/local/bin"; exit 2; }
  promtool_tmp=$(mktemp -d)
  export DEBIAN_FRONTEND=noninteractive
  apt-get update </dev/null
  (cd "$promtool_tmp" && apt-get download prometheus </dev/null && dpkg -x prometheus_*.deb root)
  install -m 0755 "$promtool_tmp/root/usr/bin/promtool" /usr/local/bin/promtool
  rm -rf "$promtool_tmp"
  command -v promtool >/dev/null 2>&1 || { log "promtool could not be installed"; exit 2; }
fi
command -v dotnet >/dev/null 2>&1 || { log "the .NET SDK (dotnet, see global.json) is not on PATH"; exit 2; }

# ---- Azurite (issue 9): the Azure Blob backend's conformance and integration tests start azurite-blob
# (npm azurite 3.37.0; it warns that it wants Node >= 22 and runs on Debian's Node 20). npm comes from apt.
if ! command -v azurite-blob >/dev/null 2>&1; then
  log "installing azurite@3.37.0 (npm)"
  SUDO=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { log "need root (or sudo) to install azurite"; exit 2; }
    SUDO=(sudo -n)
  fi
  if ! command -v npm >/dev/null 2>&1; then
    export DEBIAN_FRONTEND=noninteractive
    "${SUDO[@]}" apt-get update </dev/null
    "${SUDO[@]}" apt-get install -y --no-install-recommends npm </dev/null
  fi
  "${SUDO[@]}" npm install -g --no-audit --no-fund azurite@3.37.0 </dev/null
  command -v azurite-blob >/dev/null 2>&1 || { log "azurite-blob is still missing after npm install"; exit 2; }
fi
# ---- rest-server 0.14.0, the reference of the restic differential test (issue 13)
# Not a Debian package: a static binary kept in shared/tools (see its README). The tests look in
# $SHARED_TOOLS_DIR, else in shared/tools beside the repository or one of its parents. On a machine
# without it, REST_SERVER_GIT_DIR (a git copy of github.com/restic/rest-server) plus that README's
# build-rest-server.sh (found the same way, or BUILD_REST_SERVER=path) builds it into .tools/.
if [ -z "${SHARED_TOOLS_DIR:-}" ]; then
  for d in "$ROOT/../shared/tools" "$ROOT/../../shared/tools" "$ROOT/.tools"; do
    if [ -x "$d/rest-server-0.14.0" ]; then SHARED_TOOLS_DIR=$(cd "$d" && pwd); break; fi
  done
fi
if [ -z "${SHARED_TOOLS_DIR:-}" ] || [ ! -x "$SHARED_TOOLS_DIR/rest-server-0.14.0" ]; then
  builder=${BUILD_REST_SERVER:-}
  for d in "$ROOT/../shared/tools" "$ROOT/../../shared/tools"; do
    [ -z "$builder" ] && [ -x "$d/build-rest-server.sh" ] && builder=$d/build-rest-server.sh
  done
  if [ -n "${REST_SERVER_GIT_DIR:-}" ] && [ -n "$builder" ]; then
    log "building rest-server 0.14.0 from $REST_SERVER_GIT_DIR"
    "$builder" "$REST_SERVER_GIT_DIR" "$ROOT/.tools/rest-server-0.14.0" </dev/null
    SHARED_TOOLS_DIR=$ROOT/.tools
  else
    log "rest-server-0.14.0 not found (set SHARED_TOOLS_DIR, or REST_SERVER_GIT_DIR and BUILD_REST_SERVER to build it);"
    log "the restic differential tests will fail"
  fi
fi
[ -n "${SHARED_TOOLS_DIR:-}" ] && export SHARED_TOOLS_DIR

# ---------------------------------------------------------------- build once
rm -rf "$RESULTS"
mkdir -p "$RESULTS"
if ! dotnet build VfsGateway.sln -c "$CONFIGURATION" -nologo -v quiet </dev/null; then
  log "build failed; no test project could run"
  echo "0 passed, ${#PROJECTS[@]} failed"
  exit 1
fi

# ---------------------------------------------------------------- run each project
passed=0 failed=0 skipped=0 broken=()
counter() {  # counter NAME TRXFILE -> the value of NAME in <Counters …/>
  sed -n 's/.*<Counters [^>]*\b'"$1"'="\([0-9]*\)".*/\1/p' "$2" | head -n1
}
for project in "${PROJECTS[@]}"; do
  name=$(basename "$project")
  trx="$RESULTS/$name.trx"
  args=(test "$project" -c "$CONFIGURATION" --no-build --nologo
        --logger "trx;LogFileName=$trx" --results-directory "$RESULTS"
        --blame-hang-timeout 20m --blame-hang-dump-type none)
  [ -n "${TEST_FILTER:-}" ] && args+=(--filter "$TEST_FILTER")
  log "dotnet test $project"
  rc=0
  dotnet "${args[@]}" </dev/null || rc=$?
  if [ ! -s "$trx" ]; then
    # No results at all: the project did not run (crash, missing build output, hang kill).
    log "$project produced no results (exit code $rc)"
    broken+=("$name")
    continue
  fi
  p=$(counter passed "$trx"); f=$(counter failed "$trx"); e=$(counter error "$trx")
  t=$(counter timeout "$trx"); a=$(counter aborted "$trx")
  # Skipped tests are counted by the trx as total - executed (its notExecuted counter stays 0).
  s=$(( $(counter total "$trx") - $(counter executed "$trx") ))
  passed=$((passed + ${p:-0}))
  failed=$((failed + ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0}))
  skipped=$((skipped + ${s:-0}))
  if [ "$rc" -ne 0 ] && [ "$(( ${f:-0} + ${e:-0} + ${t:-0} + ${a:-0} ))" -eq 0 ]; then
    log "$project exited with $rc without a failed test (test host crash or hang?)"
    broken+=("$name")
  fi
done

failed=$((failed + ${#broken[@]}))
((${#broken[@]})) && log "projects that did not run cleanly (each counted as one failure): ${broken[*]}"
summary="$passed passed, $failed failed"
((skipped)) && summary+=", $skipped skipped"
echo "$summary"
[ "$failed" -eq 0 ]
