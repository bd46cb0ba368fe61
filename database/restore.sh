#!/usr/bin/env bash
# Restores a backup made by database/backup.sh, replacing what the target holds.
#
#   database/restore.sh [--target URL_OR_FILE] --yes BACKUP_FILE|latest
#
# PostgreSQL (*.dump): pg_restore into --target, default DATABASE_URL, in one
# transaction: it either fully replaces the backed-up tables or changes nothing.
# The database must exist (createdb NAME for a fresh one).
# SQLite (*.sqlite): copies the backup over --target, default DATABASE_FILENAME.
# `latest` is the newest backup in BACKUP_DIR (./backups). Stop the CMS first
# (docs/runbook.md): a running one would keep serving what it had in memory.
# Without --yes it only says what it would do.
set -euo pipefail

usage() { sed -n '2,13s/^# \{0,1\}//p' "$0"; }

# shellcheck source=database/dotenv.sh
source "$(dirname "$0")/dotenv.sh"

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
  ext=dump
  [ "${DATABASE_CLIENT:-sqlite}" = sqlite ] && ext=sqlite
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
    pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
      --exit-on-error --dbname="$target" "$file"
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
    echo "restore: expected a .dump (PostgreSQL) or .sqlite backup, got $file" >&2
    exit 2
    ;;
esac

echo "Restored $file. Start the CMS, then check GET /api/platform-settings/history/verify."
