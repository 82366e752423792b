#!/bin/bash
# Entry point of kubernaut-e2e's PostgreSQL image (Debian's postgresql-@MAJOR@). It honours the environment contract
# of the official `postgres` image, which Kubernaut's manifests rely on: POSTGRES_USER (default postgres),
# POSTGRES_PASSWORD (required unless POSTGRES_HOST_AUTH_METHOD=trust), POSTGRES_DB (default: the user),
# POSTGRES_INITDB_ARGS, PGDATA, and the scripts in /docker-entrypoint-initdb.d (*.sh, *.sql, *.sql.gz) on first start.
# Arguments starting with `-` are passed to `postgres`.
set -o errexit -o nounset -o pipefail

if [[ $# -eq 0 || "$1" == -* ]]; then set -- postgres "$@"; fi
if [[ "$1" != postgres ]]; then exec "$@"; fi

export PGDATA="${PGDATA:-/var/lib/postgresql/data}"
if [[ "$(id -u)" == 0 ]]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  chown -R postgres:postgres "$PGDATA" /var/run/postgresql
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

user="${POSTGRES_USER:-postgres}"
db="${POSTGRES_DB:-$user}"
auth="${POSTGRES_HOST_AUTH_METHOD:-scram-sha-256}"

if [[ ! -s "$PGDATA/PG_VERSION" ]]; then
  if [[ -z "${POSTGRES_PASSWORD:-}" && "$auth" != trust ]]; then
    echo "postgres: POSTGRES_PASSWORD is not set; set it, or POSTGRES_HOST_AUTH_METHOD=trust to allow connections without one" >&2
    exit 1
  fi
  pwfile="$(mktemp)"
  printf '%s' "${POSTGRES_PASSWORD:-}" > "$pwfile"
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of flags, as in the official image
  initdb --username="$user" --pwfile="$pwfile" --auth-local=trust --auth-host="$auth" ${POSTGRES_INITDB_ARGS:-} >&2
  rm -f "$pwfile"
  printf "listen_addresses = '*'\n" >> "$PGDATA/postgresql.conf"
  printf 'host all all all %s\n' "$auth" >> "$PGDATA/pg_hba.conf"

  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -c unix_socket_directories=/var/run/postgresql" -w start >&2
  psql=(psql -v ON_ERROR_STOP=1 --username "$user" --no-password --no-psqlrc -h /var/run/postgresql)
  if [[ "$db" != postgres ]]; then
    # psql interpolates variables in scripts, not in -c: the name is quoted as an identifier, never spliced into SQL.
    "${psql[@]}" --dbname postgres --set db="$db" >&2 <<<'CREATE DATABASE :"db";' 
  fi
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) echo "postgres: running $f" >&2; if [[ -x "$f" ]]; then "$f"; else . "$f"; fi ;;
      *.sql) echo "postgres: running $f" >&2; "${psql[@]}" --dbname "$db" -f "$f" >&2 ;;
      *.sql.gz) echo "postgres: running $f" >&2; gunzip -c "$f" | "${psql[@]}" --dbname "$db" >&2 ;;
      *) ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop >&2
  echo "postgres: initialised $PGDATA (user $user, database $db)" >&2
fi

exec "$@"
