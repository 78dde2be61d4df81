#!/bin/sh
# One PostgreSQL role and database per Skald service: each role owns its database and nothing else.
# Generated from libs/messaging/src/topology/least-privilege.ts by scripts/least-privilege.mjs: do not edit.
# Each password is read from the service's own database URL, SKALD_ORDERS_DATABASE_URL and so on
# (postgres://skald_orders:<password>@<host>:5432/skald_orders). Idempotent: run again, it sets the passwords.
set -eu
password_of() {
  userinfo=${1#*://}; userinfo=${userinfo%@*}
  case $userinfo in
    *%*) echo "$2: use a password without characters to percent-encode in its URL" >&2; exit 1 ;;
    *:?*) printf '%s' "${userinfo#*:}" ;;
    *) echo "$2: no password in its URL" >&2; exit 1 ;;
  esac
}

# gateway
password=$(password_of "${SKALD_GATEWAY_DATABASE_URL:?the DATABASE_URL of gateway, with its password}" gateway)
psql -v ON_ERROR_STOP=1 -q --username "${POSTGRES_USER:-postgres}" --dbname postgres -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I', 'skald_gateway') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'skald_gateway') \gexec
ALTER ROLE "skald_gateway" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', 'skald_gateway', 'skald_gateway') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'skald_gateway') \gexec
ALTER DATABASE "skald_gateway" OWNER TO "skald_gateway";
REVOKE ALL ON DATABASE "skald_gateway" FROM PUBLIC;
SQL

# orders
password=$(password_of "${SKALD_ORDERS_DATABASE_URL:?the DATABASE_URL of orders, with its password}" orders)
psql -v ON_ERROR_STOP=1 -q --username "${POSTGRES_USER:-postgres}" --dbname postgres -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I', 'skald_orders') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'skald_orders') \gexec
ALTER ROLE "skald_orders" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', 'skald_orders', 'skald_orders') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'skald_orders') \gexec
ALTER DATABASE "skald_orders" OWNER TO "skald_orders";
REVOKE ALL ON DATABASE "skald_orders" FROM PUBLIC;
SQL

# inventory
password=$(password_of "${SKALD_INVENTORY_DATABASE_URL:?the DATABASE_URL of inventory, with its password}" inventory)
psql -v ON_ERROR_STOP=1 -q --username "${POSTGRES_USER:-postgres}" --dbname postgres -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I', 'skald_inventory') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'skald_inventory') \gexec
ALTER ROLE "skald_inventory" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', 'skald_inventory', 'skald_inventory') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'skald_inventory') \gexec
ALTER DATABASE "skald_inventory" OWNER TO "skald_inventory";
REVOKE ALL ON DATABASE "skald_inventory" FROM PUBLIC;
SQL

# warehouse
password=$(password_of "${SKALD_WAREHOUSE_DATABASE_URL:?the DATABASE_URL of warehouse, with its password}" warehouse)
psql -v ON_ERROR_STOP=1 -q --username "${POSTGRES_USER:-postgres}" --dbname postgres -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I', 'skald_warehouse') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'skald_warehouse') \gexec
ALTER ROLE "skald_warehouse" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', 'skald_warehouse', 'skald_warehouse') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'skald_warehouse') \gexec
ALTER DATABASE "skald_warehouse" OWNER TO "skald_warehouse";
REVOKE ALL ON DATABASE "skald_warehouse" FROM PUBLIC;
SQL

# returns
password=$(password_of "${SKALD_RETURNS_DATABASE_URL:?the DATABASE_URL of returns, with its password}" returns)
psql -v ON_ERROR_STOP=1 -q --username "${POSTGRES_USER:-postgres}" --dbname postgres -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I', 'skald_returns') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'skald_returns') \gexec
ALTER ROLE "skald_returns" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', 'skald_returns', 'skald_returns') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'skald_returns') \gexec
ALTER DATABASE "skald_returns" OWNER TO "skald_returns";
REVOKE ALL ON DATABASE "skald_returns" FROM PUBLIC;
SQL

# notifications
password=$(password_of "${SKALD_NOTIFICATIONS_DATABASE_URL:?the DATABASE_URL of notifications, with its password}" notifications)
psql -v ON_ERROR_STOP=1 -q --username "${POSTGRES_USER:-postgres}" --dbname postgres -v password="$password" <<'SQL'
SELECT format('CREATE ROLE %I', 'skald_notifications') WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'skald_notifications') \gexec
ALTER ROLE "skald_notifications" WITH LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD :'password';
SELECT format('CREATE DATABASE %I OWNER %I', 'skald_notifications', 'skald_notifications') WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname = 'skald_notifications') \gexec
ALTER DATABASE "skald_notifications" OWNER TO "skald_notifications";
REVOKE ALL ON DATABASE "skald_notifications" FROM PUBLIC;
SQL
