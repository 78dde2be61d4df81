#!/usr/bin/env bash
# Makes sure the headless browser the ops console's end-to-end test drives is here: Debian's
# Chromium at /usr/bin/chromium (or SKALD_CHROMIUM), installed from Debian's packages if missing
# (needs root, as ensure-infra.sh). Idempotent; silent when it is already installed.
set -euo pipefail

readonly CHROMIUM="${SKALD_CHROMIUM:-/usr/bin/chromium}"
log() { echo "ensure-browser: $*" >&2; }
die() { echo "ensure-browser: error: $*" >&2; exit 1; }

[[ -x "$CHROMIUM" ]] && exit 0
[[ -n "${SKALD_CHROMIUM:-}" ]] && die "SKALD_CHROMIUM=$CHROMIUM is not an executable"
command -v apt-get >/dev/null 2>&1 || die "no $CHROMIUM and no apt-get to install it: install Chromium and set SKALD_CHROMIUM"
as_root() {
  if [[ $EUID -eq 0 ]]; then "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo -n "$@"
  else die "root is needed to install chromium (apt-get install chromium), or set SKALD_CHROMIUM"
  fi
}
log "installing chromium from Debian's packages"
as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
[[ -x "$CHROMIUM" ]] || die "chromium installed, but $CHROMIUM is not there"
log "$("$CHROMIUM" --version 2>/dev/null | head -1)"
