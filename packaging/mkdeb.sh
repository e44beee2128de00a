#!/bin/sh
# mkdeb.sh — the station as a Debian package: `make install` into a staging tree with
# PREFIX=/usr, the control files beside it, dpkg-deb. Run by `make deb`; writes
# $BUILD/triage_VERSION_ARCH.deb and prints its path on the last line.
set -e
build=${BUILD:-build}
top=$(pwd)
stage=$top/$build/deb/triage
rm -rf "$top/$build/deb"
mkdir -p "$stage"
${MAKE:-make} --no-print-directory -s install DESTDIR="$stage" PREFIX=/usr BUILD="$build" >/dev/null

version=$("$build/triage" --version | awk '{print $2}')
arch=$(dpkg --print-architecture)

# The shared libraries the binary needs, as package names (dpkg-shlibdeps wants a
# debian/control beside it); libpq5 and libcups2 besides, which the station opens
# when it first uses them (app/base/libload.h), so the binary does not name them.
shl=$top/$build/deb/shlibs
mkdir -p "$shl/debian"
printf 'Source: triage\n\nPackage: triage\nArchitecture: any\n' > "$shl/debian/control"
libs=$(cd "$shl" && dpkg-shlibdeps -O -e "$stage/usr/bin/triage" 2>/dev/null |
       sed -n 's/^shlibs:Depends=//p')
[ -n "$libs" ] || { echo "mkdeb: dpkg-shlibdeps found no libraries" >&2; exit 1; }

mkdir -p "$stage/DEBIAN"
size=$(du -sk "$stage" | awk '{print $1}')
cat > "$stage/DEBIAN/control" <<CONTROL
Package: triage
Version: $version
Architecture: $arch
Maintainer: triage station maintainers <triage@localhost>
Installed-Size: $size
Depends: $libs, libpq5, libcups2, systemd, fonts-wqy-microhei
Section: misc
Priority: optional
Description: returns-inspection station
 A grader scans a returned parcel and its item, answers a short checklist and gets a
 grade, a disposition and a responsibility; a label is printed and the outcome goes to
 head office. Runs as the systemd service triage.service (user triage, data in
 /var/lib/triage); configure /etc/triage/triage.conf, then systemctl enable --now triage.
CONTROL
# Every file under /etc is the administrator's once installed.
(cd "$stage" && find etc -type f | sort | sed 's|^|/|') > "$stage/DEBIAN/conffiles"
install -m 0755 packaging/postinst packaging/prerm packaging/postrm "$stage/DEBIAN/"

deb=$build/triage_${version}_${arch}.deb
dpkg-deb --root-owner-group --build "$stage" "$deb" >/dev/null
echo "$deb"
