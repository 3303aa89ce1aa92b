#!/usr/bin/env bash
# Builds dist/gateway_<version>_<arch>.deb with dpkg-deb from a published binary:
#   packaging/build-deb.sh [linux-x64|linux-arm64]
# Publishes first unless dist/<rid>/gateway exists (PUBLISH_R2R is passed on to publish.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
rid="${1:-linux-x64}"
case "$rid" in
  linux-x64) arch=amd64 ;;
  linux-arm64) arch=arm64 ;;
  *) echo "build-deb.sh: unknown runtime '$rid' (linux-x64 or linux-arm64)" >&2; exit 2 ;;
esac
[ -x "dist/$rid/gateway" ] || packaging/publish.sh "$rid"
version="$(sed -n 's:.*<Version>\(.*\)</Version>.*:\1:p' Directory.Build.props | head -1)"
version="${version:-0.1.0}"
root="$(mktemp -d)"
trap 'rm -rf "$root"' EXIT
echo "build-deb.sh: packaging gateway $version for $arch ..."
install -D -m 0755 "dist/$rid/gateway" "$root/usr/bin/gateway"
for unit in packaging/systemd/*.service; do
  install -D -m 0644 "$unit" "$root/lib/systemd/system/$(basename "$unit")"
done
install -D -m 0644 packaging/etc/gateway.conf "$root/etc/gateway/gateway.conf"
install -D -m 0640 packaging/etc/restic.env "$root/etc/gateway/restic.env"
install -D -m 0640 packaging/etc/s3.env "$root/etc/gateway/s3.env"
install -D -m 0644 README.md "$root/usr/share/doc/gateway/README.md"
mkdir -p "$root/DEBIAN"
cat > "$root/DEBIAN/control" <<CONTROL
Package: gateway
Version: $version
Architecture: $arch
Maintainer: VfsGateway developers <noreply@localhost>
Section: net
Priority: optional
Depends: libc6, libssl3 | libssl1.1, zlib1g, libstdc++6, libgcc-s1
Recommends: openssh-client
Description: serve storage backends over restic's REST protocol and the S3 API
 One binary, gateway, puts restic's REST protocol or the S3 API in front of
 local disks, SFTP, FTP, Azure Blob and S3 storage. Systemd units
 gateway-restic.service and gateway-s3.service are installed but not enabled.
CONTROL
printf '/etc/gateway/gateway.conf\n/etc/gateway/restic.env\n/etc/gateway/s3.env\n' > "$root/DEBIAN/conffiles"
mkdir -p dist
out="dist/gateway_${version}_${arch}.deb"
dpkg-deb --root-owner-group --build "$root" "$out" >/dev/null
echo "build-deb.sh: $out"
