#!/usr/bin/env bash
# Restores a backup made by database/backup.sh, replacing what the target holds.
#
#   database/restore.sh [--target URL_OR_FILE] --yes BACKUP_FILE|latest
#
# PostgreSQL (*.dump): pg_restore into --target, default DATABASE_URL, in one
# transaction: it either fully replaces the backed-up tables or changes nothing.
# The database must exist (createdb NAME for a fresh one).
# MySQL/MariaDB (*.sql): into --target, default DATABASE_URL (mysql://…). MySQL
# commits each table's DDL on its own, so restore into a new, empty database and
# point DATABASE_URL at it once it is done (docs/runbook.md).
# SQLite (*.sqlite): copies the backup over --target, default DATABASE_FILENAME.
# Passwords reach the client tools through their environment, never their command line.
# `latest` is the newest backup in BACKUP_DIR (./backups). Running instances
# notice the restored version within SETTINGS_VERSION_CHECK_MS and serve it.
# Without --yes it only says what it would do.
set -euo pipefail

usage() { sed -n '2,17s/^# \{0,1\}//p' "$0"; }

# shellcheck source=database/dotenv.sh
source "$(dirname "$0")/dotenv.sh"
# shellcheck source=database/credentials.sh
source "$(dirname "$0")/credentials.sh"

# A connection string without its password, for messages.
redact() { sed -E 's#(://[^:/@]+):[^@]*@#\1:***@#' <<<"$1"; }

for key in DATABASE_CLIENT DATABASE_URL DATABASE_FILENAME BACKUP_DIR; do
  from_dotenv "$key"
done
dir=${BACKUP_DIR:-backups}
target=
confirmed=false
file=

while [ $# -gt 0 ]; do
  case $1 in
    --target) target=$2; shift 2 ;;
    --yes) confirmed=true; shift ;;
    -h|--help) usage; exit 0 ;;
    -*) echo "restore: unknown option: $1" >&2; usage >&2; exit 2 ;;
    *) file=$1; shift ;;
  esac
done
[ -n "$file" ] || { usage >&2; exit 2; }

if [ "$file" = latest ]; then
  case ${DATABASE_CLIENT:-sqlite} in
    sqlite) ext=sqlite ;;
    mysql) ext=sql ;;
    *) ext=dump ;;
  esac
  file=$(find "$dir" -maxdepth 1 -name "platform-settings-*.$ext" | sort | tail -n 1)
  [ -n "$file" ] || { echo "restore: no *.$ext backup in $dir" >&2; exit 1; }
fi
[ -f "$file" ] || { echo "restore: no such file: $file" >&2; exit 1; }

case $file in
  *.dump)
    target=${target:-${DATABASE_URL:-}}
    [ -n "$target" ] || { echo "restore: set --target or DATABASE_URL" >&2; exit 2; }
    # Check the whole archive is readable before touching the database.
    pg_restore --list "$file" >/dev/null
    if [ "$confirmed" != true ]; then
      echo "Would replace the contents of $(redact "$target") with $file. Re-run with --yes."
      exit 3
    fi
    use_postgres_url "$target"
    pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
      --exit-on-error --dbname="$PGDATABASE" "$file"
    ;;
  *.sql)
    target=${target:-${DATABASE_URL:-}}
    [ -n "$target" ] || { echo "restore: set --target or DATABASE_URL" >&2; exit 2; }
    tail -n 1 "$file" | grep -q '^-- Dump completed' ||
      { echo "restore: $file is not a complete mysqldump backup" >&2; exit 1; }
    if [ "$confirmed" != true ]; then
      echo "Would replace the contents of $(redact "$target") with $file. Re-run with --yes."
      exit 3
    fi
    use_mysql_url "$target"
    trap 'rm -f "$mysql_options_file"' EXIT
    mysql --defaults-extra-file="$mysql_options_file" "$mysql_database" <"$file"
    ;;
  *.sqlite)
    target=${target:-${DATABASE_FILENAME:-.tmp/data.db}}
    if [ "$confirmed" != true ]; then
      echo "Would replace $target with $file. Re-run with --yes."
      exit 3
    fi
    mkdir -p "$(dirname "$target")"
    # Copy next to the target, then rename over it: never a half-written database.
    cp "$file" "$target.restoring"
    rm -f "$target-wal" "$target-shm" "$target-journal"
    mv "$target.restoring" "$target"
    ;;
  *)
    echo "restore: expected a .dump (PostgreSQL), .sql (MySQL) or .sqlite backup, got $file" >&2
    exit 2
    ;;
esac

echo "Restored $file. Start the CMS, then check GET /api/platform-settings/history/verify."
