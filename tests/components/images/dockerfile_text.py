"""A Dockerfile read as its instructions and build stages, for the tests of every image (the
platform's in components/images/ and an app's own, such as the demo's service/Dockerfile)."""

from __future__ import annotations

import re
from pathlib import Path

# A FROM line pinned to a digest, its tag kept beside it so that it can be bumped.
PINNED_FROM = re.compile(r"^FROM (?:--\S+ )?\S+:\S+@sha256:[0-9a-f]{64}(?: AS \S+)?$")
# Not pinned yet: its digest comes only from the registry (it is not a Docker official image, so
# docker-library/repo-info does not record it); `tools/ops/bump-base-images.sh` pins it.
NOT_YET_PINNED = {"FROM nginxinc/nginx-unprivileged:stable-bookworm"}


def instructions(dockerfile: Path) -> list[str]:
    """The Dockerfile's instructions, continuation lines joined, comments dropped."""
    joined = dockerfile.read_text().replace("\\\n", " ")
    return [
        " ".join(line.split())
        for line in joined.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def stages(dockerfile: Path) -> list[list[str]]:
    """The Dockerfile's build stages, each a list of instructions beginning with its FROM (the
    first with the ARGs before it)."""
    found: list[list[str]] = []
    for line in instructions(dockerfile):
        after_args = found and found[-1][-1].startswith("ARG ")
        if (line.startswith("FROM ") and not after_args) or not found:
            found.append([])
        found[-1].append(line)
    return found


def unpinned_base_images(dockerfile: Path) -> list[str]:
    """The FROM lines naming a registry's image without its digest."""
    stage_names = set()
    unpinned = []
    for line in instructions(dockerfile):
        if not line.startswith("FROM "):
            continue
        words = line.split()
        # An image named by a build argument is the stack's own (nginx's STATIC_IMAGE: the web
        # image's URI, which names its digest).
        own = words[1].startswith("${")
        # `scratch`: Docker's reserved empty image, no registry's (the wheelhouse's base).
        # https://docs.docker.com/build/building/base-images/#create-a-minimal-base-image-using-scratch
        own = own or words[1] == "scratch"
        external = words[1] not in stage_names and line not in NOT_YET_PINNED and not own
        if external and not PINNED_FROM.match(line):
            unpinned.append(line)
        if len(words) == 4 and words[2].upper() == "AS":
            stage_names.add(words[3])
    return unpinned


def pinned_tags(dockerfile: Path) -> set[str]:
    """The tags of the base images pinned by digest."""
    return {
        line.split()[1].split("@")[0] for line in instructions(dockerfile) if "@sha256:" in line
    }
