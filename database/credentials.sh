# Shared by backup.sh and restore.sh: source it, do not run it.
# Hands the database credentials in DATABASE_URL to the client tools through
# their environment (PostgreSQL: PG* variables) or a private options file
# (MySQL: --defaults-extra-file, mode 600, deleted on exit), never on their
# command line, where any user could read the password in `ps`.

# Percent-decoding, for user names and passwords with special characters.
urldecode() { local value=${1//+/ }; printf '%b' "${value//%/\\x}"; }

# Splits DATABASE_URL (scheme://user:password@host:port/database?query) into URL_* variables.
parse_database_url() {
  local url=$1
  local pattern='^([a-z0-9]+)://(([^:@/]*)(:([^@]*))?@)?([^:/?]+)(:([0-9]+))?/([^?]*)(\?(.*))?$'
  if ! [[ $url =~ $pattern ]]; then
    echo "cannot read DATABASE_URL (expected scheme://user:password@host:port/database)" >&2
    return 2
  fi
  URL_USER=$(urldecode "${BASH_REMATCH[3]}")
  URL_PASSWORD=$(urldecode "${BASH_REMATCH[5]}")
  URL_HOST=${BASH_REMATCH[6]}
  URL_PORT=${BASH_REMATCH[8]}
  URL_DATABASE=$(urldecode "${BASH_REMATCH[9]}")
  URL_QUERY=${BASH_REMATCH[11]}
}

# Exports PGHOST, PGPORT, PGUSER, PGPASSWORD, PGDATABASE (and PGSSLMODE from ?sslmode=).
use_postgres_url() {
  parse_database_url "$1" || return
  export PGHOST=$URL_HOST PGDATABASE=$URL_DATABASE
  [ -n "$URL_PORT" ] && export PGPORT=$URL_PORT
  [ -n "$URL_USER" ] && export PGUSER=$URL_USER
  [ -n "$URL_PASSWORD" ] && export PGPASSWORD=$URL_PASSWORD
  if [[ $URL_QUERY =~ (^|&)sslmode=([^&]*) ]]; then export PGSSLMODE=${BASH_REMATCH[2]}; fi
  return 0
}

# Writes a private MySQL options file for DATABASE_URL; sets mysql_options_file and mysql_database.
use_mysql_url() {
  parse_database_url "$1" || return
  mysql_options_file=$(mktemp)
  chmod 600 "$mysql_options_file"
  {
    echo '[client]'
    echo "host=$URL_HOST"
    [ -n "$URL_PORT" ] && echo "port=$URL_PORT"
    [ -n "$URL_USER" ] && echo "user=$URL_USER"
    [ -n "$URL_PASSWORD" ] && printf 'password="%s"\n' "${URL_PASSWORD//\"/\\\"}"
    echo 'default-character-set=utf8mb4'
  } >"$mysql_options_file"
  mysql_database=$URL_DATABASE
}
