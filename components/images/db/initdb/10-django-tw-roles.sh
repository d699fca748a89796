#!/usr/bin/env bash
# Run once by docker-entrypoint.sh on a brand-new cluster, with its temporary server up: the
# application role and the hardened pg_hba.conf from the first start on (postgres-prepare.sh
# does the same for existing clusters before every start).
set -euo pipefail
exec postgres-prepare.sh --initdb
