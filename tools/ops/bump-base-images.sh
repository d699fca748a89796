#!/usr/bin/env bash
# Pin (or re-pin) every base image of the platform's Dockerfiles to the digest its tag points at now:
#   FROM python:3.11-slim-bookworm AS build
#   -> FROM python:3.11-slim-bookworm@sha256:<index digest> AS build
# The digest is the multi-platform index's, so linux/arm64 and linux/amd64 builds both resolve
# through it. Needs registry access and `docker buildx` (DOCKER=... to use another binary).
# Usage: tools/ops/bump-base-images.sh [Dockerfile...]
#   (default: the demo web image and the platform's under components/images/)
# Review the diff, build, run the tests, commit: a base image moves only when this is run.
set -euo pipefail

docker_bin=${DOCKER:-docker}
root=$(cd "$(dirname "$0")/../.." && pwd)
if [ "$#" -eq 0 ]; then
    set -- "$root/components/images/db/Dockerfile" "$root/components/images/nginx/Dockerfile" \
        "$root/components/images/app/Dockerfile" "$root/components/images/django_fargate/Dockerfile"
    # The demo app's own image, while the checkout still holds the demo.
    if [ -f "$root/service/Dockerfile" ]; then set -- "$root/service/Dockerfile" "$@"; fi
fi

digest_of() {  # image:tag -> sha256:...
    "$docker_bin" buildx imagetools inspect "$1" --format '{{json .Manifest}}' |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["digest"])'
}

for dockerfile in "$@"; do
    # FROM [--platform=...] image[:tag][@sha256:...] [AS name]
    stages=" "
    grep -E '^FROM ' "$dockerfile" | while read -r _ first rest; do
        case "$first" in --*) image=${rest%% *}; rest=${rest#* } ;; *) image=$first ;; esac
        # "AS name": a later FROM may name this stage, which no registry holds.
        case "$rest" in [Aa][Ss]\ *) stages="$stages${rest#* } " ;; esac
        # Not a registry's image: an earlier stage, a build argument (the stack's own image,
        # given at build), or scratch, Docker's reserved empty image.
        case "$stages" in *" $image "*) continue ;; esac
        case "$image" in '${'*|scratch) continue ;; esac
        tagged=${image%%@*}
        digest=$(digest_of "$tagged")
        case "$digest" in sha256:*) ;; *) echo "no digest for $tagged: $digest" >&2; exit 1 ;; esac
        python3 - "$dockerfile" "$image" "$tagged@$digest" <<'PY'
import re, sys
path, old, new = sys.argv[1:]
text = open(path).read()
pattern = re.compile(r"^(FROM (?:--\S+ )?)" + re.escape(old) + r"(?=\s|$)", re.MULTILINE)
open(path, "w").write(pattern.sub(lambda m: m.group(1) + new, text))
PY
        echo "$dockerfile: $tagged@$digest"
    done
done
