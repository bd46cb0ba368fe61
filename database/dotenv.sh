# Shared by backup.sh and restore.sh: source it, do not run it.
# Reads KEY from ./.env when it is not already set (no shell evaluation of the file).
from_dotenv() {
  local key=$1
  if [ -z "${!key:-}" ] && [ -f .env ]; then
    local line
    line=$(grep -E "^[[:space:]]*${key}=" .env | tail -n 1 || true)
    if [ -n "$line" ]; then
      line=${line#*=}
      line=${line%\"}
      line=${line#\"}
      line=${line%\'}
      line=${line#\'}
      printf -v "$key" '%s' "$line"
    fi
  fi
}
