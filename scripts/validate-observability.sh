#!/usr/bin/env bash
# Checks deploy/observability: the Prometheus configuration and its alert rules parse (`promtool
# check config`, `promtool check rules`), the rules' unit tests pass (`promtool test rules`), and
# every query of the Grafana dashboard is valid PromQL (checked as recording rules, with Grafana's
# variables filled in). Which metrics they name is checked against the running services by the
# e2e observability spec (e2e/src/observability).
#
# promtool comes with Debian's `prometheus` package: installed when missing and we are root,
# without letting the package start a Prometheus server (a policy-rc.d that refuses every start,
# for the install only; under systemd the unit is also disabled). Only promtool is wanted.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
readonly DIR=deploy/observability

if ! command -v promtool >/dev/null 2>&1; then
  [[ $EUID -eq 0 ]] || { echo "validate-observability: promtool is missing (apt-get install --no-install-recommends prometheus)" >&2; exit 1; }
  echo "validate-observability: installing promtool (Debian's prometheus package)" >&2
  policy=/usr/sbin/policy-rc.d
  saved=$(mktemp)
  had_policy=false
  if [[ -e $policy ]]; then had_policy=true; cp -p "$policy" "$saved"; fi
  restore_policy() { if $had_policy; then mv -f "$saved" "$policy"; else rm -f "$policy" "$saved"; fi; }
  trap restore_policy EXIT
  printf '#!/bin/sh\nexit 101\n' > "$policy" && chmod 755 "$policy"
  out=$({ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends prometheus; } 2>&1) ||
    { echo "$out" >&2; echo "validate-observability: could not install prometheus" >&2; exit 1; }
  restore_policy
  trap - EXIT
  if [[ -d /run/systemd/system ]]; then systemctl disable prometheus >/dev/null 2>&1 || true; fi
fi

promtool check config "$DIR"/prometheus.yml
promtool check rules "$DIR"/alerts.yml
promtool test rules "$DIR"/alerts.test.yml

queries=$(mktemp --suffix=.yml)
trap 'rm -f "$queries"' EXIT
node - "$DIR"/grafana-dashboard.json > "$queries" <<'JS'
const fs = require('node:fs');
const dashboard = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'));
const exprs = dashboard.panels.flatMap((panel) => (panel.targets ?? []).map((target) => target.expr));
if (exprs.length === 0) throw new Error('the dashboard has no queries');
const filled = exprs.map((expr) => expr.replaceAll('$__rate_interval', '5m').replaceAll('$service', '.*'));
const rules = filled.map((expr, i) => `      - record: dashboard_query_${i}\n        expr: ${JSON.stringify(expr)}`);
process.stdout.write(`groups:\n  - name: grafana-dashboard\n    rules:\n${rules.join('\n')}\n`);
JS
echo "grafana-dashboard.json: its queries as rules"
promtool check rules "$queries"
echo "deploy/observability is valid"
