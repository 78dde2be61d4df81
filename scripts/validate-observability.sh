#!/usr/bin/env bash
# Checks deploy/observability: the Prometheus alert rules parse (`promtool check rules`), their unit
# tests pass (`promtool test rules`), and the Grafana dashboard is valid JSON. promtool comes with
# Debian's `prometheus` package: installed when missing and we are root, without letting the
# package start a Prometheus server (a policy-rc.d that refuses every start, for the install only).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly DIR=deploy/observability

if ! command -v promtool >/dev/null 2>&1; then
  [[ $EUID -eq 0 ]] || { echo "validate-observability: promtool is missing (apt-get install --no-install-recommends prometheus)" >&2; exit 1; }
  echo "validate-observability: installing promtool (Debian's prometheus package)" >&2
  policy=/usr/sbin/policy-rc.d
  restore=
  if [[ -e $policy ]]; then restore=$(mktemp); cp -p "$policy" "$restore"; fi
  trap '[[ -n $restore ]] && mv -f "$restore" "$policy" || rm -f "$policy"' EXIT
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy"
  out=$({ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus; } 2>&1) ||
    { echo "$out" >&2; echo "validate-observability: could not install prometheus" >&2; exit 1; }
fi

promtool check rules "$DIR"/alerts.yml
promtool test rules "$DIR"/alerts.test.yml
node -e 'JSON.parse(require("node:fs").readFileSync(process.argv[1], "utf8"))' "$DIR"/grafana-dashboard.json
echo "deploy/observability is valid"
