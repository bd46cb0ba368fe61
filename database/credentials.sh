# Shared by backup.sh and restore.sh: source it, do not run it.
# Hands the database credentials in DATABASE_URL to the client tools through
# their environment (PostgreSQL: PG* variables) or a private options file
# (MySQL: --defaults-extra-file, mode 600, deleted on exit), never on their
# command line, where any user could read the password in `ps`.

# Percent-decoding into the variable named $1, as the app decodes DATABASE_URL
# (decodeURIComponent): `+` stays a plus, `%2B` is a plus, `%25` a percent, and
# a literal backslash stays one. printf -v keeps a trailing newline (%0A).
urldecode_into() {
  local value=$2
  if [[ $value =~ %([^0-9A-Fa-f]|.[^0-9A-Fa-f]|.?$) || $value =~ %00 ]]; then
    echo "cannot read DATABASE_URL: a % in the user name, password or database name must be followed by two hex digits (write a literal % as %25)" >&2
    return 2
  fi
  # Literal backslashes first, so that printf's %b turns only our \x escapes into bytes.
  value=${value//\\/\\\\}
  printf -v "$1" '%b' "${value//%/\\x}"
}

# Splits DATABASE_URL (scheme://user:password@host:port/database?query) into URL_* variables.
parse_database_url() {
  local url=$1
  # As in the app's URL parser: the user info ends at the last @ before the first /, and the
  # user name at its first colon, so a literal @ or : in the password still reads right.
  local pattern='^([a-z0-9]+)://(([^:/?#]*)(:([^/?#]*))?@)?([^:/?#@]+)(:([0-9]+))?/([^?#]*)(\?([^#]*))?$'
  if ! [[ $url =~ $pattern ]]; then
    echo "cannot read DATABASE_URL (expected scheme://user:password@host:port/database)" >&2
    return 2
  fi
  local user=${BASH_REMATCH[3]} password=${BASH_REMATCH[5]} database=${BASH_REMATCH[9]}
  URL_HOST=${BASH_REMATCH[6]}
  URL_PORT=${BASH_REMATCH[8]}
  URL_QUERY=${BASH_REMATCH[11]}
  urldecode_into URL_USER "$user" || return
  urldecode_into URL_PASSWORD "$password" || return
  urldecode_into URL_DATABASE "$database" || return
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

# A value for a double-quoted option file line: the client tools read \\ \" \n \r \t there.
option_file_escape() {
  local value=${1//\\/\\\\}
  value=${value//\"/\\\"}
  value=${value//$'\n'/\\n}
  value=${value//$'\r'/\\r}
  printf '%s' "${value//$'\t'/\\t}"
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
    [ -n "$URL_USER" ] && printf 'user="%s"\n' "$(option_file_escape "$URL_USER")"
    [ -n "$URL_PASSWORD" ] && printf 'password="%s"\n' "$(option_file_escape "$URL_PASSWORD")"
    echo 'default-character-set=utf8mb4'
  } >"$mysql_options_file"
  mysql_database=$URL_DATABASE
}
