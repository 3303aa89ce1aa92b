#!/usr/bin/env bash
# Builds the release binary: a self-contained single-file `gateway` (no .NET install needed on the
# target) for linux-x64 and/or linux-arm64, into dist/<rid>/gateway.
#   packaging/publish.sh                 # both architectures
#   packaging/publish.sh linux-x64       # one
# PUBLISH_R2R=false skips ReadyToRun compilation (faster build, slower startup; used by the tests).
set -euo pipefail
cd "$(dirname "$0")/.."
rids=("$@")
[ ${#rids[@]} -gt 0 ] || rids=(linux-x64 linux-arm64)
r2r="${PUBLISH_R2R:-true}"
for rid in "${rids[@]}"; do
  out="dist/$rid"
  echo "publish.sh: building gateway for $rid (self-contained single file, ReadyToRun=$r2r) into $out ..."
  dotnet publish src/Cli -c Release -r "$rid" --self-contained true -nologo -v quiet \
    -p:PublishSingleFile=true -p:IncludeNativeLibrariesForSelfExtract=true \
    -p:PublishReadyToRun="$r2r" -p:DebugType=none -o "$out"
  echo "publish.sh: $out/gateway ($(du -h "$out/gateway" | cut -f1))"
done
