#!/bin/sh
# The awx-db-init Job's script (WE lane): creates AWX's role and database in the shared PostgreSQL.
# Needs PGPASSWORD (slm_user's password) and AWX_DB_PASSWORD in the environment.
until pg_isready -h postgresql -p 5432 -U slm_user; do
  echo "Waiting for PostgreSQL..."
  sleep 2
done
echo "Creating AWX database and user..."
# The password reaches SQL as a psql variable (quoted by psql), never spliced into the statement.
printf '%s\n' "CREATE ROLE awx WITH LOGIN PASSWORD :'pw';" | psql -h postgresql -p 5432 -U slm_user -d action_history -v pw="$AWX_DB_PASSWORD" 2>&1 || true
set -e
psql -h postgresql -p 5432 -U slm_user -d action_history -tc "SELECT 1 FROM pg_database WHERE datname = 'awx'" | grep -q 1 || psql -h postgresql -p 5432 -U slm_user -d action_history -c "CREATE DATABASE awx OWNER awx;"
psql -h postgresql -p 5432 -U slm_user -d action_history -c "GRANT ALL PRIVILEGES ON DATABASE awx TO awx;"
echo "AWX database ready."
