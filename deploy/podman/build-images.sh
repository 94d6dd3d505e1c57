#!/usr/bin/env bash
# Builds the six images from deploy/Dockerfile with podman: the four services and, for the checks
# in deploy/test, the two sandboxes, tagged localhost/shop/<name>:latest. Without BASE_IMAGE, on
# a stand-in for the official Node image built here first (base-image.sh). Prints each build's
# time and the sizes. Needs root, podman, runc (and debootstrap for the base image).
set -euo pipefail
cd "$(dirname "$0")/../.."
export CONTAINERS_CONF=${CONTAINERS_CONF:-$PWD/deploy/podman/containers.conf}
BASE_IMAGE=${BASE_IMAGE:-localhost/node:24-bookworm-slim}
IMAGES=(user-service order-service payment-service notification-service stripe-sandbox gmail-sandbox)

if [[ $BASE_IMAGE == localhost/node:* ]]; then
  start=$SECONDS
  NODE_BASE_IMAGE=$BASE_IMAGE bash deploy/podman/base-image.sh
  echo "base image: $((SECONDS - start)) s"
fi

# The host's CA bundle, for a registry reached through a TLS-inspecting proxy (as here).
ca_args=()
if [[ -f /etc/ssl/certs/ca-certificates.crt ]]; then
  ca_args=(--volume /etc/ssl/certs/ca-certificates.crt:/run/host-ca.crt:ro --build-arg NODE_EXTRA_CA_CERTS=/run/host-ca.crt)
fi

log=$(mktemp)
trap 'rm -f "$log"' EXIT
for name in "${IMAGES[@]}"; do
  start=$SECONDS
  # --format docker: OCI images have no HEALTHCHECK.
  if ! podman build --format docker -f deploy/Dockerfile --build-arg BASE_IMAGE="$BASE_IMAGE" \
    --build-arg SERVICE="$name" "${ca_args[@]}" -t "localhost/shop/$name:latest" . > "$log" 2>&1; then
    tail -40 "$log"
    echo "FAILED: podman build of $name (the last 40 lines above)" >&2
    exit 1
  fi
  echo "built localhost/shop/$name:latest in $((SECONDS - start)) s"
done
for name in "${IMAGES[@]}"; do
  printf '%-22s %s\n' "$name" "$(podman image inspect --format '{{.Size}}' "localhost/shop/$name:latest" | numfmt --to=si --suffix=B)"
done
