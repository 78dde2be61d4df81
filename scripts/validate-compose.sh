#!/usr/bin/env bash
# Validates docker-compose.yml without a Docker engine (Debian's docker-compose checks the file
# offline). Installs docker-compose from Debian's packages when it is missing and we are root.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if ! command -v docker-compose >/dev/null 2>&1; then
  [[ $EUID -eq 0 ]] || { echo "validate-compose: docker-compose is missing (apt-get install docker-compose)" >&2; exit 1; }
  echo "validate-compose: installing docker-compose from Debian's packages" >&2
  out=$({ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq docker-compose; } 2>&1) ||
    { echo "$out" >&2; echo "validate-compose: could not install docker-compose" >&2; exit 1; }
fi
# The services and servers read their secrets from deploy/compose/*.env (scripts/compose-secrets.sh),
# which are not committed and which `config` insists on: a missing one is stood in for by a
# throwaway file, removed on exit.
placeholders=()
trap 'rm -f "${placeholders[@]}"' EXIT
for secrets in deploy/compose/{secrets,webhooks,postgres,rabbitmq,gateway,orders,inventory,warehouse,returns,notifications}.env; do
  if [[ ! -e $secrets ]]; then
    placeholders+=("$secrets")
    (umask 077 && printf 'PLACEHOLDER=validate-compose-%s\n' "$(date +%s%N)" > "$secrets")
  fi
done
docker-compose -f docker-compose.yml config -q
# Least privilege: no service falls back to a shared or default account, and no password is committed.
if grep -nE 'postgres:skald@|skald:skald@|RABBITMQ_DEFAULT_PASS: |POSTGRES_PASSWORD: ' docker-compose.yml; then
  echo "validate-compose: docker-compose.yml commits a password (they belong in deploy/compose/*.env)" >&2; exit 1
fi
for service in gateway orders inventory warehouse returns notifications; do
  grep -q "deploy/compose/$service.env" docker-compose.yml ||
    { echo "validate-compose: $service does not read its own credentials from deploy/compose/$service.env" >&2; exit 1; }
done
echo "docker-compose.yml is valid"
