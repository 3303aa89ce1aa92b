#!/usr/bin/env bash
# Builds the release binary: a self-contained single-file `gateway` (no .NET install needed where it
# runs) with the publish profiles in src/Cli/Properties/PublishProfiles, into dist/<rid>/gateway;
# dist/gateway links to the binary for this machine.
#   packaging/publish.sh                          # this machine's runtime (linux-x64 or linux-arm64)
#   packaging/publish.sh linux-x64 linux-arm64    # each runtime named
#   dist/gateway serve restic ./restic-data --no-auth --addr 127.0.0.1:8000
# Needs the .NET SDK of global.json; the first run downloads the runtime packs from NuGet and takes
# a few minutes (ReadyToRun compiles every assembly); later runs are incremental.
# PUBLISH_R2R=false skips ReadyToRun (a faster build, a slower start; the packaging test uses it).
set -euo pipefail
cd "$(dirname "$0")/.."
case "$(uname -m)" in
  aarch64 | arm64) host=linux-arm64 ;;
  *) host=linux-x64 ;;
esac
rids=("$@")
[ ${#rids[@]} -gt 0 ] || rids=("$host")
r2r="${PUBLISH_R2R:-true}"
export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
for rid in "${rids[@]}"; do
  profile="src/Cli/Properties/PublishProfiles/$rid.pubxml"
  [ -f "$profile" ] || { echo "publish.sh: no publish profile for '$rid' (have: $(cd "$(dirname "$profile")" && ls -- *.pubxml | sed 's/\.pubxml$//' | tr '\n' ' '))" >&2; exit 2; }
  echo "publish.sh: building gateway for $rid (self-contained single file, ReadyToRun=$r2r) into dist/$rid/ ..."
  echo "publish.sh: a first build restores the .NET runtime packs and compiles every assembly (minutes on 2 cores); later ones are incremental"
  start=$SECONDS
  # -v minimal: restore, compile and publish steps show up as they happen (a first build takes minutes).
  dotnet publish src/Cli -p:PublishProfile="$rid" -p:PublishReadyToRun="$r2r" -nologo -v minimal -clp:NoSummary </dev/null
  echo "publish.sh: dist/$rid/gateway ($(du -h "dist/$rid/gateway" | cut -f1), $((SECONDS - start)) s)"
  if [ "$rid" = "$host" ]; then
    ln -sfn "$rid/gateway" dist/gateway
    echo "publish.sh: dist/gateway -> $rid/gateway"
  fi
done
