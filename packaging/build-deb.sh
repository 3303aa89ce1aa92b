#!/usr/bin/env bash
# Builds dist/gateway_<version>_<arch>.deb with dpkg-deb from the published binary:
#   packaging/build-deb.sh [linux-x64|linux-arm64]
# It runs packaging/publish.sh for that runtime first (an incremental publish when nothing changed;
# PUBLISH_AOT and PUBLISH_R2R are passed on), unless NO_PUBLISH=1 and dist/<rid>/gateway exists.
# The package installs /usr/bin/gateway, the systemd units gateway-restic.service and
# gateway-s3.service (not enabled), /etc/gateway/{gateway.conf,restic.env,s3.env} (conffiles), and
# makes the system user `gateway` on install.
set -euo pipefail
cd "$(dirname "$0")/.."
rid="${1:-linux-x64}"
case "$rid" in
  linux-x64) arch=amd64 ;;
  linux-arm64) arch=arm64 ;;
  *) echo "build-deb.sh: unknown runtime '$rid' (linux-x64 or linux-arm64)" >&2; exit 2 ;;
esac
if [ "${NO_PUBLISH:-}" != 1 ] || [ ! -x "dist/$rid/gateway" ]; then
  packaging/publish.sh "$rid"
fi
# The package's version is the program's (`gateway version` shows the same, plus the commit).
version="$(dotnet msbuild src/Cli -nologo -getProperty:Version </dev/null)"
# The package's files and DEBIAN/ get their modes from install -m and this umask, never from the caller's
# (dpkg-deb refuses a control directory that is not 0755..0775).
umask 022
root="$(mktemp -d)"
chmod 0755 "$root"
trap 'rm -rf "$root"' EXIT
echo "build-deb.sh: packaging gateway $version for $arch ..."
install -D -m 0755 "dist/$rid/gateway" "$root/usr/bin/gateway"
for unit in packaging/systemd/*.service; do
  install -D -m 0644 "$unit" "$root/lib/systemd/system/$(basename "$unit")"
done
install -D -m 0644 packaging/etc/gateway.conf "$root/etc/gateway/gateway.conf"
install -D -m 0644 packaging/etc/restic.env "$root/etc/gateway/restic.env"
install -D -m 0644 packaging/etc/s3.env "$root/etc/gateway/s3.env"
install -D -m 0644 README.md "$root/usr/share/doc/gateway/README.md"
install -D -m 0644 docs/operations.md "$root/usr/share/doc/gateway/operations.md"
mkdir -p "$root/DEBIAN"
installed_kib="$(du -sk --exclude=DEBIAN "$root" | cut -f1)"
cat > "$root/DEBIAN/control" <<CONTROL
Package: gateway
Version: $version
Architecture: $arch
Maintainer: VfsGateway developers <noreply@localhost>
Installed-Size: $installed_kib
Section: net
Priority: optional
Depends: libc6, libgcc-s1, libstdc++6, zlib1g, libssl3 | libssl1.1, passwd
Recommends: openssh-client
Description: serve storage over restic's REST protocol and the S3 API
 One self-contained binary, gateway, puts restic's REST protocol or the S3
 API in front of local disks, SFTP, FTP, Azure Blob and S3 storage.
 The systemd units gateway-restic.service and gateway-s3.service are
 installed but not enabled; their settings are in /etc/gateway/.
CONTROL
printf '/etc/gateway/gateway.conf\n/etc/gateway/restic.env\n/etc/gateway/s3.env\n' > "$root/DEBIAN/conffiles"
install -m 0755 packaging/deb/postinst packaging/deb/prerm packaging/deb/postrm "$root/DEBIAN/"
mkdir -p dist
out="dist/gateway_${version}_${arch}.deb"
dpkg-deb --root-owner-group -Zgzip --build "$root" "$out" >/dev/null
echo "build-deb.sh: $out ($(du -h "$out" | cut -f1))"
