#!/bin/sh
# Entrypoint of the gateway image, with the helpers and environment of rest-server's image:
#   docker run IMAGE                        gateway serve restic local:/data (users in /data/.htpasswd)
#   docker run IMAGE --append-only ...      the same with more flags (anything starting with "-")
#   docker run IMAGE s3                     gateway serve s3 local:/data (keys: $GATEWAY_AUTH_KEY or $AUTH_KEY_FILE)
#   docker exec C create_user NAME [PASS]   add NAME or set its password (asked for, or one line on stdin, without PASS);
#                                           a running server sees the change within 30 s
#   docker run --rm -it -v VOL:/data IMAGE create_user NAME   the first user, before the server can start
#   docker exec C delete_user NAME          remove NAME
#   docker run IMAGE gateway ARGS...        run gateway ARGS (e.g. `gateway version`)
#   HEALTHCHECK: entrypoint.sh healthcheck  GET /_gateway/health/ready on the served port
# Environment (the image sets the first two):
#   DATA_DIRECTORY   what is served (/data)            PASSWORD_FILE  htpasswd file ($DATA_DIRECTORY/.htpasswd)
#   DISABLE_AUTHENTICATION  non-empty: serve without authentication (--no-auth)
#   OPTIONS          more flags, split on spaces (e.g. "--append-only --private-repos")
#   LISTEN           listen address (restic :8000, s3 :8080)
#   AUTH_KEY_FILE    s3: a file of ACCESS,SECRET lines (--auth-key-file); GATEWAY_AUTH_KEY is read by gateway itself
#   GATEWAY          the gateway binary (/usr/bin/gateway)
set -eu
GATEWAY="${GATEWAY:-/usr/bin/gateway}"
DATA_DIRECTORY="${DATA_DIRECTORY:-/data}"
PASSWORD_FILE="${PASSWORD_FILE:-$DATA_DIRECTORY/.htpasswd}"
OPTIONS="${OPTIONS:-}"
DISABLE_AUTHENTICATION="${DISABLE_AUTHENTICATION:-}"

create_user() {
  if [ $# -lt 1 ] || [ $# -gt 2 ] || [ -z "$1" ]; then
    echo "usage: create_user NAME [PASSWORD]   (without PASSWORD it is asked for, or read as one line from stdin)" >&2
    exit 2
  fi
  if [ $# -eq 2 ]; then
    printf '%s\n' "$2" | "$GATEWAY" htpasswd add "$PASSWORD_FILE" "$1" --password-stdin
  else
    "$GATEWAY" htpasswd add "$PASSWORD_FILE" "$1"
  fi
}

delete_user() {
  if [ $# -ne 1 ] || [ -z "$1" ]; then
    echo "usage: delete_user NAME" >&2
    exit 2
  fi
  "$GATEWAY" htpasswd remove "$PASSWORD_FILE" "$1"
}

# The port that `serve` listens on: LISTEN's, else the frontend's default.
port_of() {
  case "${LISTEN:-}" in
    '') [ "$1" = s3 ] && echo 8080 || echo 8000 ;;
    *) echo "${LISTEN##*:}" ;;
  esac
}

healthcheck() {
  scheme=http
  case " $OPTIONS " in *" --tls "*) scheme=https ;; esac
  # Without LISTEN the frontend is not known here: the restic port first, then the s3 one.
  if [ -n "${LISTEN:-}" ]; then ports=$(port_of restic); else ports="8000 8080"; fi
  for port in $ports; do
    curl -fsS -k --max-time 10 -o /dev/null "$scheme://127.0.0.1:$port/_gateway/health/ready" 2>/dev/null && return 0
  done
  echo "gateway is not ready on 127.0.0.1 port(s) $ports" >&2
  return 1
}

serve() {
  frontend="$1"
  shift
  set -- --addr "${LISTEN:-:$(port_of "$frontend")}" "$@"
  if [ -n "$DISABLE_AUTHENTICATION" ]; then
    set -- --no-auth "$@"
  elif [ "$frontend" = restic ]; then
    # rest-server's image starts with an empty users file and answers 401; gateway refuses to start
    # without a user (a server nobody can use is a mistake), so say how to add one.
    if [ ! -s "$PASSWORD_FILE" ]; then
      echo "gateway: no user in $PASSWORD_FILE: add one with 'docker run --rm -it -v VOLUME:$DATA_DIRECTORY IMAGE create_user NAME'," >&2
      echo "gateway: or set DISABLE_AUTHENTICATION=1 to serve without authentication" >&2
      exit 1
    fi
    set -- --htpasswd-file "$PASSWORD_FILE" "$@"
  elif [ -n "${AUTH_KEY_FILE:-}" ]; then
    set -- --auth-key-file "$AUTH_KEY_FILE" "$@"
  fi
  # OPTIONS is split into words on purpose (rest-server's image does the same).
  # shellcheck disable=SC2086
  exec "$GATEWAY" serve "$frontend" "local:$DATA_DIRECTORY" "$@" $OPTIONS
}

cmd="${1:-restic}"
case "$cmd" in
  create_user | delete_user | healthcheck)
    shift
    "$cmd" "$@"
    ;;
  restic | s3)
    # No argument at all means restic (the image's CMD); dash refuses to shift an empty list.
    if [ $# -gt 0 ]; then shift; fi
    serve "$cmd" "$@"
    ;;
  -*) serve restic "$@" ;;
  gateway)
    shift
    exec "$GATEWAY" "$@"
    ;;
  *) exec "$@" ;;
esac
