#!/usr/bin/env bash
# Makes sure the local infrastructure that the tests and `npm start` need is up:
#   - PostgreSQL on 127.0.0.1:5432, where the `postgres` user connects over TCP without a
#     password (trust authentication for local TCP connections);
#   - RabbitMQ on 127.0.0.1:5672 with the default guest/guest user.
# A server whose port already answers is used as it is. Otherwise it is started, and if it is
# not installed it is first installed from the Debian packages (needs root; on a fresh
# PostgreSQL cluster, local TCP connections are switched to trust). Then the script waits until
# both accept connections. Idempotent; silent when everything is already up.
#
# On a local RabbitMQ node the management plugin is enabled (port 15672): the tests' second way
# of creating vhosts, and the management UI.
#
# Environment: SKALD_PG_PORT (5432), SKALD_RABBITMQ_PORT (5672), SKALD_RABBITMQ_MANAGEMENT_PORT (15672),
#              SKALD_INFRA_TIMEOUT (seconds to wait for each server, 60).
set -euo pipefail

readonly HOST=127.0.0.1
readonly PG_PORT="${SKALD_PG_PORT:-5432}"
readonly RABBITMQ_PORT="${SKALD_RABBITMQ_PORT:-5672}"
readonly MANAGEMENT_PORT="${SKALD_RABBITMQ_MANAGEMENT_PORT:-15672}"
readonly TIMEOUT="${SKALD_INFRA_TIMEOUT:-60}"
export PATH="$PATH:/usr/local/sbin:/usr/sbin:/sbin" # rabbitmq-server & co. live in /usr/sbin

log() { echo "ensure-infra: $*" >&2; }
die() { echo "ensure-infra: error: $*" >&2; exit 1; }
have() { command -v "$1" >/dev/null 2>&1; }
systemd_running() { [[ -d /run/systemd/system ]]; }

as_root() {
  if [[ $EUID -eq 0 ]]; then
    "$@"
  elif have sudo && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    die "root is needed to run: $* (run this script as root)"
  fi
}

port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/$HOST/$1" 2>/dev/null; }

# wait_for <what> <command...>: polls the command once a second until it succeeds.
wait_for() {
  local what=$1 deadline=$((SECONDS + TIMEOUT))
  shift
  "$@" && return 0
  log "waiting for $what"
  until "$@"; do
    ((SECONDS < deadline)) || die "$what did not accept connections within ${TIMEOUT}s"
    sleep 1
  done
}

# --- PostgreSQL --------------------------------------------------------------------------------

pg_installed() { have pg_ctlcluster && compgen -G '/usr/lib/postgresql/*/bin/postgres' >/dev/null; }

pg_ready() {
  if have pg_isready; then pg_isready -q -h "$HOST" -p "$PG_PORT"; else port_open "$PG_PORT"; fi
}

# Prints "<version> <name>" of the cluster configured on $PG_PORT.
pg_cluster() { pg_lsclusters -h 2>/dev/null | awk -v port="$PG_PORT" '$3 == port { print $1, $2; exit }'; }

start_postgres() { # <freshly installed: true|false>
  local fresh=$1 cluster version name
  cluster=$(pg_cluster)
  [[ -n $cluster ]] ||
    die "PostgreSQL is installed but no cluster is configured on port $PG_PORT (see pg_lsclusters; create one with pg_createcluster)"
  read -r version name <<<"$cluster"
  if $fresh; then
    local hba="/etc/postgresql/$version/$name/pg_hba.conf"
    log "configuring trust authentication for 127.0.0.1 and ::1 in $hba"
    as_root sed -Ei 's/^(host[[:space:]]+all[[:space:]]+all[[:space:]]+(127\.0\.0\.1\/32|::1\/128)[[:space:]]+)[^[:space:]]+/\1trust/' "$hba"
  fi
  # pg_ctlcluster hands over to systemctl by itself when systemd runs the machine.
  if as_root pg_ctlcluster "$version" "$name" status >/dev/null 2>&1; then
    if $fresh; then as_root pg_ctlcluster "$version" "$name" reload; fi
  else
    log "starting PostgreSQL $version/$name"
    as_root pg_ctlcluster "$version" "$name" start
  fi
}

check_postgres_trust() {
  have psql || return 0
  local out
  if ! out=$(psql -X -w -h "$HOST" -p "$PG_PORT" -U postgres -d postgres -Atqc 'select 1' 2>&1); then
    die "PostgreSQL on $HOST:$PG_PORT does not let the postgres user in without a password:
  $out
  Set the method of the 'host all all 127.0.0.1/32' and '::1/128' lines of pg_hba.conf to trust and reload PostgreSQL."
  fi
}

# --- RabbitMQ ----------------------------------------------------------------------------------

rabbitmq_installed() { have rabbitmq-server; }

rabbitmq_started_here=false

start_rabbitmq() {
  rabbitmq_started_here=true
  if have rabbitmq-diagnostics && as_root rabbitmq-diagnostics -q ping >/dev/null 2>&1; then
    return 0 # the node is up and still booting: its listeners come last
  fi
  log "starting RabbitMQ"
  if systemd_running; then
    as_root systemctl start rabbitmq-server
  else
    as_root rabbitmq-server -detached
  fi
}

rabbitmq_ready() {
  port_open "$RABBITMQ_PORT" || return 1
  $rabbitmq_started_here && have rabbitmq-diagnostics || return 0
  # A node started here is also asked whether it has finished booting, provided that this
  # machine's CLI can talk to it at all (same Erlang cookie).
  as_root rabbitmq-diagnostics -q ping >/dev/null 2>&1 || return 0
  as_root rabbitmq-diagnostics -q check_running >/dev/null 2>&1
}

# The management API is the tests' second way to make vhosts of their own (no Erlang cookie
# needed) and the operator's UI. Enabled on a local node this machine's CLI can talk to; a broker
# elsewhere (a container, say) is left as it is.
ensure_rabbitmq_management() {
  port_open "$MANAGEMENT_PORT" && return 0
  have rabbitmq-plugins || return 0
  as_root rabbitmq-diagnostics -q ping >/dev/null 2>&1 || return 0
  log "enabling the RabbitMQ management plugin"
  as_root rabbitmq-plugins -q enable rabbitmq_management >/dev/null
  wait_for "the RabbitMQ management API on $HOST:$MANAGEMENT_PORT" port_open "$MANAGEMENT_PORT"
}

# --- main --------------------------------------------------------------------------------------

missing=()
pg_up=false rabbitmq_up=false
if port_open "$PG_PORT"; then pg_up=true; elif ! pg_installed; then missing+=(postgresql); fi
if port_open "$RABBITMQ_PORT"; then rabbitmq_up=true; elif ! rabbitmq_installed; then missing+=(rabbitmq-server); fi

if ((${#missing[@]})); then
  have apt-get || die "${missing[*]} not installed and apt-get is not available: install ${missing[*]} by hand"
  log "installing ${missing[*]} from the Debian packages"
  if ! out=$({ as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"; } 2>&1); then
    die "could not install ${missing[*]}:
$out"
  fi
fi

fresh_pg=false
if [[ " ${missing[*]} " == *" postgresql "* ]]; then fresh_pg=true; fi
$pg_up || start_postgres "$fresh_pg"
$rabbitmq_up || start_rabbitmq

wait_for "PostgreSQL on $HOST:$PG_PORT" pg_ready
wait_for "RabbitMQ on $HOST:$RABBITMQ_PORT" rabbitmq_ready
check_postgres_trust
ensure_rabbitmq_management
