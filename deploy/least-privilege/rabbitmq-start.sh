#!/bin/sh
# The RabbitMQ container's entrypoint in docker-compose and the dev overlay: starts the broker as
# the image does, then gives each Skald service its own user with exactly its permissions
# (rabbitmq-users.sh, generated; idempotent, so every start sets the passwords from the services'
# URLs again). The health check waits for /tmp/skald-users-ready: services start only after.
set -eu
here=$(dirname "$0")
rm -f /tmp/skald-users-ready
docker-entrypoint.sh rabbitmq-server &
server=$!
trap 'kill -TERM "$server" 2>/dev/null || true' TERM INT

# rabbitmqctl before the broker wrote its Erlang cookie would write one of its own, as root.
until [ -s "${HOME:-/var/lib/rabbitmq}/.erlang.cookie" ] && rabbitmqctl -q await_startup >/dev/null 2>&1; do
  kill -0 "$server" 2>/dev/null || { wait "$server"; exit $?; }
  sleep 1
done
sh "$here/rabbitmq-users.sh"
touch /tmp/skald-users-ready
echo "skald: one RabbitMQ user per service is set up"

# A trapped signal interrupts the first wait; the second waits for the broker's own shutdown.
status=0
wait "$server" || status=$?
if kill -0 "$server" 2>/dev/null; then status=0; wait "$server" || status=$?; fi
exit "$status"
