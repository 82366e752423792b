#!/bin/sh
# Entry point of kubernaut-e2e's Redis image (Debian's redis-server). Like the official image, a bare `redis-server`
# (or only flags) runs in the foreground without Debian's loopback-only config and without protected mode, so Pods
# on the cluster network can connect; anything else runs as given.
set -eu
if [ $# -eq 0 ] || [ "${1#-}" != "$1" ]; then set -- redis-server "$@"; fi
if [ "$1" = redis-server ]; then
  case "${2:-}" in
    "" | -*) shift; set -- redis-server --protected-mode no --dir /data "$@" ;;
  esac
fi
exec "$@"
