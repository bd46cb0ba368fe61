#!/usr/bin/env bash
# Backs up the CMS database to a timestamped file and keeps only the newest N.
#
#   database/backup.sh [--dir DIR] [--keep N]
#
# PostgreSQL (DATABASE_CLIENT=postgres): `pg_dump --format=custom` of DATABASE_URL.
# MySQL/MariaDB (DATABASE_CLIENT=mysql): `mysqldump --single-transaction` of DATABASE_URL.
# SQLite: an online copy of DATABASE_FILENAME. All restorable with database/restore.sh.
# The password in DATABASE_URL never reaches a command line (see credentials.sh).
# Settings come from the environment, else from ./.env, else the defaults:
#   BACKUP_DIR  (./backups)   where backups go
#   BACKUP_KEEP (14)          how many to keep; older ones are deleted
# A backup is written under a temporary name, checked, then renamed: a file with
# the final name is always complete. Prints the backup's path on success.
set -euo pipefail

usage() { sed -n '2,14s/^# \{0,1\}//p' "$0"; }

# shellcheck source=database/dotenv.sh
source "$(dirname "$0")/dotenv.sh"
# shellcheck source=database/credentials.sh
source "$(dirname "$0")/credentials.sh"

for key in DATABASE_CLIENT DATABASE_URL DATABASE_FILENAME BACKUP_DIR BACKUP_KEEP; do
  from_dotenv "$key"
done
client=${DATABASE_CLIENT:-sqlite}
dir=${BACKUP_DIR:-backups}
keep=${BACKUP_KEEP:-14}

while [ $# -gt 0 ]; do
  case $1 in
    --dir) dir=$2; shift 2 ;;
    --keep) keep=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "backup: unknown argument: $1" >&2; usage >&2; exit 2 ;;
  esac
done
if ! [[ $keep =~ ^[1-9][0-9]*$ ]]; then
  echo "backup: --keep must be a positive number (got '$keep')" >&2
  exit 2
fi

mkdir -p "$dir"
# Milliseconds, so two backups in one second do not collide; sorts by time.
stamp=$(date -u +%Y%m%dT%H%M%S.%3NZ)

case $client in
  postgres)
    : "${DATABASE_URL:?backup: set DATABASE_URL (in the environment or .env)}"
    ext=dump
    final="$dir/platform-settings-$stamp.$ext"
    partial="$final.partial"
    trap 'rm -f "$partial"' EXIT
    use_postgres_url "$DATABASE_URL"
    # --no-owner/--no-privileges: restorable into a database owned by another role.
    pg_dump --format=custom --no-owner --no-privileges --file="$partial"
    # A dump pg_restore cannot list is not a backup.
    pg_restore --list "$partial" >/dev/null
    ;;
  mysql)
    : "${DATABASE_URL:?backup: set DATABASE_URL (in the environment or .env)}"
    ext=sql
    final="$dir/platform-settings-$stamp.$ext"
    partial="$final.partial"
    use_mysql_url "$DATABASE_URL"
    trap 'rm -f "$partial" "$mysql_options_file"' EXIT
    # One consistent snapshot (InnoDB) without locking the CMS out while it runs.
    mysqldump --defaults-extra-file="$mysql_options_file" --single-transaction --quick \
      --routines --triggers --hex-blob --no-tablespaces "$mysql_database" >"$partial"
    # mysqldump ends a complete dump with this line; anything else was cut short.
    tail -n 1 "$partial" | grep -q '^-- Dump completed' ||
      { echo "backup: the dump of $mysql_database is incomplete" >&2; exit 1; }
    ;;
  sqlite)
    ext=sqlite
    source=${DATABASE_FILENAME:-.tmp/data.db}
    [ -f "$source" ] || { echo "backup: no SQLite database at $source" >&2; exit 1; }
    final="$dir/platform-settings-$stamp.$ext"
    partial="$final.partial"
    trap 'rm -f "$partial"' EXIT
    # SQLite's online backup API: consistent even while the CMS is writing.
    node -e '
      const Database = require("better-sqlite3");
      const db = new Database(process.argv[1], { readonly: true, fileMustExist: true });
      db.backup(process.argv[2]).then(() => db.close()).catch((error) => {
        console.error(error.message);
        process.exit(1);
      });
    ' "$source" "$partial"
    ;;
  *)
    echo "backup: DATABASE_CLIENT must be postgres, mysql or sqlite (got '$client')" >&2
    exit 2
    ;;
esac

mv "$partial" "$final"
trap - EXIT
[ -n "${mysql_options_file:-}" ] && rm -f "$mysql_options_file"

# Retention: the timestamp sorts by age, so everything before the newest $keep goes.
mapfile -t backups < <(find "$dir" -maxdepth 1 -name "platform-settings-*.$ext" -printf '%f\n' | sort)
excess=$(( ${#backups[@]} - keep ))
for (( i = 0; i < excess; i++ )); do
  rm -f -- "$dir/${backups[$i]}"
done

echo "$final"
