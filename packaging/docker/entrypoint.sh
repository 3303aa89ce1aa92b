#!/bin/sh
# Entrypoint of the gateway image (rest-server's image has the same helpers):
#   docker run IMAGE                       -> gateway serve restic /data (htpasswd /data/.htpasswd)
#   docker run IMAGE s3                    -> gateway serve s3 /data (keys: $GATEWAY_AUTH_KEY or /data/.s3-keys)
#   docker exec C create_user NAME [PASS]  -> adds/updates NAME in the htpasswd file (password from PASS or stdin)
#   docker exec C delete_user NAME         -> removes NAME
#   docker run IMAGE gateway ARGS...       -> runs gateway with ARGS
# Environment: DATA_DIRECTORY (/data), PASSWORD_FILE ($DATA_DIRECTORY/.htpasswd), LISTEN (:8000 restic,
# :8080 s3), DISABLE_AUTHENTICATION (non-empty: --no-auth), OPTIONS (extra flags), GATEWAY (binary).
set -eu
GATEWAY="${GATEWAY:-/usr/bin/gateway}"
DATA_DIRECTORY="${DATA_DIRECTORY:-/data}"
PASSWORD_FILE="${PASSWORD_FILE:-$DATA_DIRECTORY/.htpasswd}"
OPTIONS="${OPTIONS:-}"

create_user() {
  [ $# -ge 1 ] || { echo "usage: create_user NAME [PASSWORD]" >&2; exit 2; }
  if [ $# -ge 2 ]; then
    printf '%s\n' "$2" | "$GATEWAY" htpasswd add "$PASSWORD_FILE" "$1" --password-stdin
  else
    "$GATEWAY" htpasswd add "$PASSWORD_FILE" "$1" --password-stdin
  fi
}

delete_user() {
  [ $# -eq 1 ] || { echo "usage: delete_user NAME" >&2; exit 2; }
  "$GATEWAY" htpasswd remove "$PASSWORD_FILE" "$1"
}

auth_flags() {
  if [ -n "${DISABLE_AUTHENTICATION:-}" ]; then
    echo "--no-auth"
  elif [ "$1" = restic ]; then
    echo "--htpasswd $PASSWORD_FILE"
  elif [ -z "${GATEWAY_AUTH_KEY:-}" ] && [ -f "$DATA_DIRECTORY/.s3-keys" ]; then
    echo "--auth-key-file $DATA_DIRECTORY/.s3-keys"
  fi
}

cmd="${1:-restic}"
case "$cmd" in
  create_user) shift; create_user "$@" ;;
  delete_user) shift; delete_user "$@" ;;
  restic|s3)
    [ $# -gt 0 ] && shift
    listen="${LISTEN:-}"
    [ -n "$listen" ] || { [ "$cmd" = restic ] && listen=:8000 || listen=:8080; }
    # shellcheck disable=SC2046,SC2086 # word splitting of the flag strings is intended
    exec "$GATEWAY" serve "$cmd" "local:$DATA_DIRECTORY" --addr "$listen" $(auth_flags "$cmd") $OPTIONS "$@" ;;
  gateway) shift; exec "$GATEWAY" "$@" ;;
  *) exec "$@" ;;
esac
