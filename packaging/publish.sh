#!/usr/bin/env bash
# Builds the release binary: a self-contained `gateway` (no .NET install needed where it runs) with the
# publish profiles in src/Cli/Properties/PublishProfiles, into dist/<rid>/gateway; dist/gateway links to
# the binary for this machine. linux-x64 is a NativeAOT binary (needs clang and zlib1g-dev), linux-arm64
# a single file with ReadyToRun code (NativeAOT cannot cross-compile without an arm64 sysroot).
#   packaging/publish.sh                          # this machine's runtime (linux-x64 or linux-arm64)
#   packaging/publish.sh linux-x64 linux-arm64    # each runtime named
#   dist/gateway serve restic ./restic-data --no-auth --addr 127.0.0.1:8000
# Needs the .NET SDK of global.json; the first run downloads the runtime packs from NuGet and takes
# a few minutes (NativeAOT or ReadyToRun compile every assembly); later ReadyToRun runs are incremental.
# PUBLISH_AOT=false builds the single-file ReadyToRun binary for linux-x64 too (a faster build, a
# start-up of ~300 ms instead of ~50 ms); PUBLISH_R2R=false also skips ReadyToRun (the fastest build,
# the slowest start; the packaging test uses both).
set -euo pipefail
cd "$(dirname "$0")/.."
case "$(uname -m)" in
  aarch64 | arm64) host=linux-arm64 ;;
  *) host=linux-x64 ;;
esac
rids=("$@")
[ ${#rids[@]} -gt 0 ] || rids=("$host")
flags=()
[ -z "${PUBLISH_AOT:-}" ] || flags+=("-p:PublishAot=$PUBLISH_AOT")
[ -z "${PUBLISH_R2R:-}" ] || flags+=("-p:PublishReadyToRun=$PUBLISH_R2R")
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# NativeAOT links with clang against zlib: install them with apt when missing (root or passwordless
# sudo); without either, build the ReadyToRun binary and say so instead of failing half-way.
ensure_aot_toolchain() {
  command -v clang >/dev/null 2>&1 && [ -e /usr/include/zlib.h ] && return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo=(sudo -n); else sudo=(none); fi
  fi
  if [ "${sudo[0]:-}" != none ] && command -v apt-get >/dev/null 2>&1; then
    echo "publish.sh: NativeAOT needs clang and zlib1g-dev; installing them with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    if "${sudo[@]}" apt-get update -qq </dev/null && "${sudo[@]}" apt-get install -y -qq --no-install-recommends clang zlib1g-dev </dev/null; then
      return 0
    fi
  fi
  echo "publish.sh: clang or zlib1g-dev is missing and cannot be installed here; building the ReadyToRun binary instead" >&2
  echo "publish.sh: (apt-get install clang zlib1g-dev, then run publish.sh again, for the NativeAOT binary)" >&2
  return 1
}
for rid in "${rids[@]}"; do
  rid_flags=()
  profile="src/Cli/Properties/PublishProfiles/$rid.pubxml"
  [ -f "$profile" ] || { echo "publish.sh: no publish profile for '$rid' (have: $(cd "$(dirname "$profile")" && ls -- *.pubxml | sed 's/\.pubxml$//' | tr '\n' ' '))" >&2; exit 2; }
  kind="single file, ReadyToRun=${PUBLISH_R2R:-true}"
  if [ "${PUBLISH_AOT:-}" = true ] || { [ "${PUBLISH_AOT:-}" != false ] && grep -q '<PublishAot' "$profile"; }; then
    kind=NativeAOT
    ensure_aot_toolchain || { kind="single file, ReadyToRun=${PUBLISH_R2R:-true}"; rid_flags+=("-p:PublishAot=false"); }
  fi
  echo "publish.sh: building gateway for $rid (self-contained, $kind) into dist/$rid/ ..."
  echo "publish.sh: a first build restores the .NET runtime packs and compiles every assembly (minutes on 2 cores); later ones are incremental"
  start=$SECONDS
  # -v minimal: restore, compile and publish steps show up as they happen (a first build takes minutes).
  dotnet publish src/Cli -p:PublishProfile="$rid" "${flags[@]}" "${rid_flags[@]}" -nologo -v minimal -clp:NoSummary </dev/null
  echo "publish.sh: dist/$rid/gateway ($(du -h "dist/$rid/gateway" | cut -f1), $((SECONDS - start)) s)"
  if [ "$rid" = "$host" ]; then
    ln -sfn "$rid/gateway" dist/gateway
    echo "publish.sh: dist/gateway -> $rid/gateway"
  fi
done
