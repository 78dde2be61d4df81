#!/bin/sh
# Creates, once, the secret files docker-compose.yml reads (none is committed; see
# deploy/compose/*.env.example): a random password for each service's PostgreSQL role and
# RabbitMQ user and for both servers' administrators, the internal token and the webhook key.
# An existing file is kept as it is: PostgreSQL keeps the roles' passwords in its data volume,
# and stored webhook secrets cannot be opened without the key they were sealed with.
set -eu
cd "$(dirname "$0")/../deploy/compose"
umask 077
services="gateway orders inventory warehouse returns notifications"
random() { openssl rand -hex 24; }
upper() { printf '%s' "$1" | tr '[:lower:]' '[:upper:]'; }

write() { # file, then its content on stdin
  if [ -e "$1" ]; then echo "kept    deploy/compose/$1"; cat >/dev/null; else cat >"$1"; echo "created deploy/compose/$1"; fi
}

[ -e secrets.env ] || printf 'INTERNAL_API_TOKEN=%s\n' "$(openssl rand -base64 48 | tr -d '\n/+=')" | write secrets.env
[ -e webhooks.env ] || printf 'WEBHOOK_SECRET_KEY=%s\n' "$(openssl rand -base64 32)" | write webhooks.env

# Each service's URLs, with new passwords, unless all the files that must agree on them exist.
missing=false
for file in postgres.env rabbitmq.env $(for s in $services; do printf '%s.env ' "$s"; done); do [ -e "$file" ] || missing=true; done
if $missing; then
  for file in postgres.env rabbitmq.env $(for s in $services; do printf '%s.env ' "$s"; done); do
    [ ! -e "$file" ] || { echo "deploy/compose/$file exists but others are missing: they must hold the same passwords; move it away and run again" >&2; exit 1; }
  done
  postgres="POSTGRES_PASSWORD=$(random)"
  rabbitmq="RABBITMQ_DEFAULT_USER=skald-admin
RABBITMQ_DEFAULT_PASS=$(random)"
  for s in $services; do
    database="postgres://skald_$s:$(random)@postgres:5432/skald_$s"
    broker="amqp://skald_$s:$(random)@rabbitmq:5672"
    printf 'DATABASE_URL=%s\nRABBITMQ_URL=%s\n' "$database" "$broker" | write "$s.env"
    postgres="$postgres
SKALD_$(upper "$s")_DATABASE_URL=$database"
    rabbitmq="$rabbitmq
SKALD_$(upper "$s")_RABBITMQ_URL=$broker"
  done
  printf '%s\n' "$postgres" | write postgres.env
  printf '%s\n' "$rabbitmq" | write rabbitmq.env
fi
