#!/usr/bin/env bash
# The Debian packages `make local` runs for real: nginx, envsubst (which renders the nginx
# template, as in the image) and Python's venv module (barman-cloud's too). The PostgreSQL server
# is a pinned wheel (requirements/postgres.txt); as root it runs as the `postgres` system
# account, created here when missing.
# Installed with apt-get when we are root and something is missing; otherwise we say what to
# install and stop.
set -euo pipefail

missing=()
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx)
command -v envsubst >/dev/null || missing+=(gettext-base)
command -v setpriv >/dev/null || missing+=(util-linux)
python3 -c 'import ensurepip, venv' 2>/dev/null || [ -x .venv/bin/python ] || missing+=(python3-venv)
# barman-cloud runs on Debian's own Python, which the postgres account can always reach
/usr/bin/python3 -c 'import ensurepip, venv' 2>/dev/null || missing+=(python3-venv)

if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
  echo "make local: creating the postgres system account (the server refuses to run as root)"
  useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
fi

[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "make local: installing ${missing[*]} with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
  echo "make local: missing Debian packages: ${missing[*]}" >&2
  echo "install them first:  sudo apt-get install ${missing[*]}" >&2
  exit 1
fi
