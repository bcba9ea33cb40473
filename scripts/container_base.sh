#!/bin/sh
# Build a local Debian bookworm base image for the Dockerfile where Docker Hub is out of reach
# (only deb.debian.org is): debootstrap's minimal system with Python 3.11, imported as an image.
#
#   sudo scripts/container_base.sh [IMAGE]        # default lider-base:bookworm
#   docker build --build-arg BASE=lider-base:bookworm -t lider .
#
# Needs root (debootstrap) and debootstrap itself (apt-get install debootstrap). MIRROR may name
# another Debian mirror. Takes a few minutes; the image is about 150 MB. Behind a proxy that
# re-signs TLS, CA_CERTIFICATES names its certificate file(s) (PEM, *.crt): the base, and images
# built on it, then trust them (Debian's pip reads the system's store), so pip reaches PyPI.
set -eu
IMAGE=${1:-lider-base:bookworm}
MIRROR=${MIRROR:-http://deb.debian.org/debian}
ROOT=$(mktemp -d /tmp/lider-base.XXXXXX)
chmod 755 "$ROOT"  # the image's / (mktemp makes it private)
trap 'rm -rf "$ROOT"' EXIT

debootstrap --variant=minbase --include=python3,python3-venv,ca-certificates \
	bookworm "$ROOT" "$MIRROR"
for certificate in ${CA_CERTIFICATES:-}; do
	cp "$certificate" "$ROOT/usr/local/share/ca-certificates/$(basename "$certificate" .crt).crt"
done
[ -z "${CA_CERTIFICATES:-}" ] || chroot "$ROOT" update-ca-certificates
# What an image needs no more than the slim Python image has: package lists, caches, docs.
chroot "$ROOT" apt-get clean
rm -rf "$ROOT"/var/lib/apt/lists/* "$ROOT"/usr/share/doc/* "$ROOT"/usr/share/man/* \
	"$ROOT"/usr/share/info/* "$ROOT"/var/cache/debconf/*-old "$ROOT"/var/log/*.log
tar --numeric-owner -C "$ROOT" -c . | docker import \
	--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
	--change 'ENV LANG=C.UTF-8' \
	--change 'CMD ["python3"]' \
	- "$IMAGE"
docker image ls "$IMAGE"
