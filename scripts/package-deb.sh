#!/usr/bin/env bash
# The Debian package a desk installs: `tauri build` (release, the UI embedded), then
# the package checked (a name dpkg accepts) and its contents compressed again with
# xz -9 instead of gzip (the binary and the face models are most of it). Prints the
# package's path and size.
#
#   scripts/package-deb.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

npm --prefix ui exec -- tauri build --bundles deb
deb="$(ls -t target/release/bundle/deb/*.deb | head -n 1)"

# Debian's rule for package names; Tauri derives the name from productName
# (tauri.linux.conf.json keeps it ASCII: dpkg refuses "sésame").
name="$(dpkg-deb --field "$deb" Package)"
if [[ ! "$name" =~ ^[a-z0-9][a-z0-9.+-]+$ ]]; then
  echo "the package name '$name' is not one dpkg accepts" >&2
  exit 1
fi

staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
dpkg-deb --raw-extract "$deb" "$staging/root"
dpkg-deb --root-owner-group -Zxz -z9 --build "$staging/root" "$staging/package.deb" >/dev/null
mv "$staging/package.deb" "$deb"
dpkg-deb --info "$deb" >/dev/null
echo "package $deb: $(du -b "$deb" | cut -f1) bytes"
