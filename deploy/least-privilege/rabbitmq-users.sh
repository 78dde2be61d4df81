#!/bin/sh
# One RabbitMQ user per Skald service with exactly the permissions it needs on its vhost.
# Generated from libs/messaging/src/topology/least-privilege.ts by scripts/least-privilege.mjs: do not edit.
# Each password and vhost is read from the service's own broker URL, SKALD_ORDERS_RABBITMQ_URL and so on
# (amqp://skald_orders:<password>@<host>:5672[/<vhost>], no vhost: /). Idempotent: run again, it sets the passwords.
set -eu
password_of() {
  userinfo=${1#*://}; userinfo=${userinfo%@*}
  case $userinfo in
    *%*) echo "$2: use a password without characters to percent-encode in its URL" >&2; exit 1 ;;
    *:?*) printf '%s' "${userinfo#*:}" ;;
    *) echo "$2: no password in its URL" >&2; exit 1 ;;
  esac
}
vhost_of() {
  path=${1#*://}
  case $path in */?*) printf '%s' "${path#*/}" ;; *) printf '/' ;; esac
}

# gateway
url="${SKALD_GATEWAY_RABBITMQ_URL:?the RABBITMQ_URL of gateway, with its password}"
password=$(password_of "$url" gateway)
vhost=$(vhost_of "$url")
rabbitmqctl -q add_vhost "$vhost" 2>/dev/null || true
rabbitmqctl -q add_user skald_gateway "$password" 2>/dev/null || rabbitmqctl -q change_password skald_gateway "$password"
rabbitmqctl -q set_permissions -p "$vhost" skald_gateway '^(skald\.gateway(\.retry\.[0-9]+ms)?|skald\.gateway\.dlq|skald\.events|skald\.commands|skald\.unrouted|skald\.events\.unrouted)$' '^(skald\.gateway(\.retry\.[0-9]+ms)?|skald\.gateway\.dlq|skald\.unrouted|skald\.events\.unrouted|amq\.default|skald\.events)$' '^(skald\.gateway(\.retry\.[0-9]+ms)?|skald\.gateway\.dlq|skald\.events|skald\.commands|skald\.unrouted|skald\.events\.unrouted)$'

# orders
url="${SKALD_ORDERS_RABBITMQ_URL:?the RABBITMQ_URL of orders, with its password}"
password=$(password_of "$url" orders)
vhost=$(vhost_of "$url")
rabbitmqctl -q add_vhost "$vhost" 2>/dev/null || true
rabbitmqctl -q add_user skald_orders "$password" 2>/dev/null || rabbitmqctl -q change_password skald_orders "$password"
rabbitmqctl -q set_permissions -p "$vhost" skald_orders '^(skald\.orders(\.retry\.[0-9]+ms)?|skald\.orders\.dlq|skald\.events|skald\.commands|skald\.unrouted|skald\.events\.unrouted)$' '^(skald\.orders(\.retry\.[0-9]+ms)?|skald\.orders\.dlq|skald\.unrouted|skald\.events\.unrouted|amq\.default|skald\.events|skald\.commands)$' '^(skald\.orders(\.retry\.[0-9]+ms)?|skald\.orders\.dlq|skald\.events|skald\.commands|skald\.unrouted|skald\.events\.unrouted)$'

# inventory
url="${SKALD_INVENTORY_RABBITMQ_URL:?the RABBITMQ_URL of inventory, with its password}"
password=$(password_of "$url" inventory)
vhost=$(vhost_of "$url")
rabbitmqctl -q add_vhost "$vhost" 2>/dev/null || true
rabbitmqctl -q add_user skald_inventory "$password" 2>/dev/null || rabbitmqctl -q change_password skald_inventory "$password"
rabbitmqctl -q set_permissions -p "$vhost" skald_inventory '^(skald\.inventory(\.retry\.[0-9]+ms)?|skald\.inventory\.dlq|skald\.events|skald\.commands|skald\.unrouted|skald\.events\.unrouted)$' '^(skald\.inventory(\.retry\.[0-9]+ms)?|skald\.inventory\.dlq|skald\.unrouted|skald\.events\.unrouted|amq\.default|skald\.events)$' '^(skald\.inventory(\.retry\.[0-9]+ms)?|skald\.inventory\.dlq|skald\.events|skald\.commands|skald\.unrouted|skald\.events\.unrouted)$'

# warehouse
url="${SKALD_WAREHOUSE_RABBITMQ_URL:?the RABBITMQ_URL of warehouse, with its password}"
password=$(password_of "$url" warehouse)
vhost=$(vhost_of "$url")
rabbitmqctl -q add_vhost "$vhost" 2>/dev/null || true
rabbitmqctl -q add_user skald_warehouse "$password" 2>/dev/null || rabbitmqctl -q change_password skald_warehouse "$password"
rabbitmqctl -q set_permissions -p "$vhost" skald_warehouse '^(skald\.warehouse(\.retry\.[0-9]+ms)?|skald\.warehouse\.dlq|skald\.events|skald\.commands|skald\.unrouted|skald\.events\.unrouted)$' '^(skald\.warehouse(\.retry\.[0-9]+ms)?|skald\.warehouse\.dlq|skald\.unrouted|skald\.events\.unrouted|amq\.default|skald\.events)$' '^(skald\.warehouse(\.retry\.[0-9]+ms)?|skald\.warehouse\.dlq|skald\.events|skald\.commands|skald\.unrouted|skald\.events\.unrouted)$'

# returns
url="${SKALD_RETURNS_RABBITMQ_URL:?the RABBITMQ_URL of returns, with its password}"
password=$(password_of "$url" returns)
vhost=$(vhost_of "$url")
rabbitmqctl -q add_vhost "$vhost" 2>/dev/null || true
rabbitmqctl -q add_user skald_returns "$password" 2>/dev/null || rabbitmqctl -q change_password skald_returns "$password"
rabbitmqctl -q set_permissions -p "$vhost" skald_returns '^(skald\.returns(\.retry\.[0-9]+ms)?|skald\.returns\.dlq|skald\.events|skald\.commands|skald\.unrouted|skald\.events\.unrouted)$' '^(skald\.returns(\.retry\.[0-9]+ms)?|skald\.returns\.dlq|skald\.unrouted|skald\.events\.unrouted|amq\.default|skald\.events|skald\.commands)$' '^(skald\.returns(\.retry\.[0-9]+ms)?|skald\.returns\.dlq|skald\.events|skald\.commands|skald\.unrouted|skald\.events\.unrouted)$'

# notifications
url="${SKALD_NOTIFICATIONS_RABBITMQ_URL:?the RABBITMQ_URL of notifications, with its password}"
password=$(password_of "$url" notifications)
vhost=$(vhost_of "$url")
rabbitmqctl -q add_vhost "$vhost" 2>/dev/null || true
rabbitmqctl -q add_user skald_notifications "$password" 2>/dev/null || rabbitmqctl -q change_password skald_notifications "$password"
rabbitmqctl -q set_permissions -p "$vhost" skald_notifications '^(skald\.notifications(\.retry\.[0-9]+ms)?|skald\.notifications\.dlq|skald\.events|skald\.commands|skald\.unrouted|skald\.events\.unrouted)$' '^(skald\.notifications(\.retry\.[0-9]+ms)?|skald\.notifications\.dlq|skald\.unrouted|skald\.events\.unrouted|amq\.default)$' '^(skald\.notifications(\.retry\.[0-9]+ms)?|skald\.notifications\.dlq|skald\.events|skald\.commands|skald\.unrouted|skald\.events\.unrouted)$'
