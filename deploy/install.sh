#!/bin/sh
# Installs the AmpX gateway as a systemd service on a Linux gateway: the ampx user (in the dialout group),
# /etc/ampx (config and secrets), /var/lib/ampx (database) and the ampx-gateway unit. Run it as root after
# `npm install -g ampx-gateway-<version>.tgz`. It never overwrites an existing site.yaml or ampx.env.
# DRY_RUN=1 prints what it would do and changes nothing.
set -eu

run() {
  echo "+ $*"
  if [ -z "${DRY_RUN:-}" ]; then "$@"; fi
}

AMPX=$(command -v ampx) || {
  echo "install.sh: ampx is not on the PATH; install the package first: npm install -g ampx-gateway-<version>.tgz" >&2
  exit 1
}
# bin/ampx.js → the package root, wherever npm put it.
PACKAGE=$(dirname "$(dirname "$(readlink -f "$AMPX")")")
DEPLOY="$PACKAGE/deploy"
[ -f "$DEPLOY/ampx-gateway.service" ] || { echo "install.sh: $DEPLOY/ampx-gateway.service not found" >&2; exit 1; }

if ! id ampx >/dev/null 2>&1; then
  run useradd --system --user-group --home-dir /var/lib/ampx --no-create-home --shell /usr/sbin/nologin ampx
fi
run usermod --append --groups dialout ampx
run install -d -m 0750 -o root -g ampx /etc/ampx
run install -d -m 0750 -o ampx -g ampx /var/lib/ampx
if [ ! -e /etc/ampx/site.yaml ]; then
  run install -m 0640 -o root -g ampx "$DEPLOY/site.example.yaml" /etc/ampx/site.yaml
fi
if [ ! -e /etc/ampx/ampx.env ]; then
  run install -m 0640 -o root -g ampx "$DEPLOY/ampx.env.example" /etc/ampx/ampx.env
fi
# The unit names /usr/bin/ampx; point it at this machine's ampx (often /usr/local/bin/ampx).
echo "+ sed s#/usr/bin/ampx#$AMPX# $DEPLOY/ampx-gateway.service > /etc/systemd/system/ampx-gateway.service"
if [ -z "${DRY_RUN:-}" ]; then
  sed "s#/usr/bin/ampx#$AMPX#g" "$DEPLOY/ampx-gateway.service" > /etc/systemd/system/ampx-gateway.service
fi
run systemctl daemon-reload

cat <<NEXT

Installed. Next:
  1. edit /etc/ampx/site.yaml (meters, transport, upload) and /etc/ampx/ampx.env (secrets)
  2. check it:   sudo -u ampx $AMPX validate /etc/ampx/site.yaml
  3. start it:   systemctl enable --now ampx-gateway
  4. watch it:   journalctl -u ampx-gateway -f
NEXT
