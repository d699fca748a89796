"""The local topology keeps to this machine: every socket it listens on is on 127.0.0.1, none of
its processes runs as root (even when started as root), and its data directory (database, WAL
archive and base backups, media, mail with reset links, secrets) is readable by its owner only.

Read from the outside, as another user of the machine would see it: /proc's socket tables and
process status, and the modes of the files in the data directory.
"""

from __future__ import annotations

import stat
import subprocess
import sys
from pathlib import Path

import pytest

from service.tests.e2e.users import new_user, png_image
from stack.paths import REPO_ROOT
from tests.e2e.topology_checks import (
    assert_every_socket_is_on_the_loopback_address,
    assert_no_process_runs_as_root,
)
from tools.local.client import SiteClient
from tools.local.harness import RunningTopology

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(300)]


def test_every_socket_of_the_topology_is_on_the_loopback_address(topology: RunningTopology):
    assert_every_socket_is_on_the_loopback_address(topology)


def test_no_process_of_the_topology_runs_as_root(topology: RunningTopology):
    assert_no_process_runs_as_root(topology)


def group_or_other_bits(root: Path) -> list[str]:
    found = []
    for path in [root, *root.rglob("*")]:
        mode = path.lstat().st_mode
        if stat.S_ISLNK(mode):
            continue
        if mode & 0o077:
            found.append(f"{stat.filemode(mode)} {path.relative_to(root.parent)}")
    return found


def test_the_data_directory_is_private_after_an_upload_a_reset_mail_and_a_backup(
    topology: RunningTopology,
):
    user = new_user("private")
    client = SiteClient(topology.base_url)
    client.sign_up(user.username, user.email, user.password)
    client.log_in(user.username, user.password)
    posted = client.post_tweet("kept private", ("private.png", png_image(24, 16), "image/png"))
    assert posted.status_code in (302, 303), posted.text[:2000]
    mailed = SiteClient(topology.base_url).post("/accounts/password_reset/", {"email": user.email})
    assert mailed.status_code in (302, 303), mailed.status_code
    backup = subprocess.run(
        [sys.executable, "-m", "tools.local.backup", "take"],
        cwd=REPO_ROOT,
        env=topology.environment,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert backup.returncode == 0, backup.stderr
    data_dir = topology.data_dir
    # What the walk must cover: the S3 stand-in's recording (the upload, the WAL archive and the
    # base backup), the mail, the database cluster, the secrets and nginx's files.
    local = topology.topology
    recording = local.s3_recording.read_text()
    assert topology.environment["AWS_STORAGE_BUCKET_NAME"] in recording, "no upload recorded"
    assert "/base/" in recording, "no base backup in the recording"
    assert any((local.mail_dir / "new").iterdir()), "no reset mail kept"
    for kept in (local.pgdata, local.secrets_file, local.nginx_dir, local.static_root):
        assert kept.exists(), kept
    leaks = group_or_other_bits(data_dir)
    assert not leaks, "readable beyond its owner:\n" + "\n".join(leaks[:40])
