#!/bin/sh
# Tafel must not connect as a superuser: superusers skip row-level security.
# This creates the role the application uses, owner of its own schema.
set -eu
psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname "$POSTGRES_DB" <<SQL
CREATE ROLE tafel_app LOGIN PASSWORD '$(cat /run/secrets/app_password)' NOSUPERUSER NOBYPASSRLS;
CREATE SCHEMA tafel AUTHORIZATION tafel_app;
ALTER ROLE tafel_app SET search_path = tafel;
SQL
