#!/usr/bin/env bash
# `make bench` drives the service with wrk (Debian package `wrk`). Installed with apt-get when we
# are root and it is missing; otherwise we say what to install and stop.
set -euo pipefail

command -v wrk >/dev/null && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "make bench: installing wrk with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends wrk
else
  echo "make bench: the load generator wrk is missing; install it first:  sudo apt-get install wrk" >&2
  exit 1
fi
