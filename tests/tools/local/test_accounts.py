"""Who the local topology's processes run as, and what its data directory lets others see:
tools/local/system.py's topology_account and tools/local/prepare.py's make_private."""

from __future__ import annotations

import os
import pwd
import stat
from pathlib import Path

import pytest

from tools.local import system
from tools.local.prepare import make_private
from tools.local.system import LocalSetupError, as_account, topology_account


@pytest.fixture
def as_root(monkeypatch):
    monkeypatch.setattr(system, "running_as_root", lambda: True)


def test_not_root_the_processes_run_as_us(monkeypatch, tmp_path):
    monkeypatch.setattr(system, "running_as_root", lambda: False)
    assert topology_account({"LOCAL_USER": "nobody"}, tmp_path) is None
    assert as_account(None) == []


def test_as_root_they_run_as_the_checkout_s_owner(as_root, tmp_path):
    owner = pwd.getpwnam("nobody")
    checkout = tmp_path / "checkout"
    checkout.mkdir()
    if os.geteuid() == 0:
        os.chown(checkout, owner.pw_uid, owner.pw_gid)
        assert topology_account({}, checkout).pw_uid == owner.pw_uid
    else:
        assert topology_account({}, checkout).pw_uid == os.geteuid()


def test_as_root_with_a_checkout_root_owns_they_run_as_nobody(as_root, monkeypatch, tmp_path):
    real_stat = Path.stat
    monkeypatch.setattr(
        Path, "stat", lambda self, **kw: os.stat_result((0o40755, 0, 0, 1, 0, 0, 0, 0, 0, 0))
        if self == tmp_path else real_stat(self, **kw)
    )  # fmt: skip
    account = topology_account({}, tmp_path)
    assert account.pw_name == "nobody"
    assert account.pw_uid != 0


def test_local_user_names_another_account(as_root, tmp_path):
    assert topology_account({"LOCAL_USER": "daemon"}, tmp_path).pw_name == "daemon"


def test_an_unknown_or_root_local_user_is_refused_naming_the_variable(as_root, tmp_path):
    with pytest.raises(LocalSetupError, match=r"no `no-such-account` account.*LOCAL_USER"):
        topology_account({"LOCAL_USER": "no-such-account"}, tmp_path)
    with pytest.raises(LocalSetupError, match="LOCAL_USER=root is root"):
        topology_account({"LOCAL_USER": "root"}, tmp_path)


def test_setpriv_gets_the_account_s_numeric_ids():
    nobody = pwd.getpwnam("nobody")
    assert as_account(nobody) == [
        "setpriv", f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--init-groups", "--",
    ]  # fmt: skip


def test_make_private_leaves_no_group_or_other_bit_and_keeps_the_owner_s(tmp_path):
    root = tmp_path / "data"
    (root / "s3").mkdir(parents=True)
    (root / "s3" / "requests.jsonl").write_text("{}")
    (root / "bin").mkdir()
    (root / "bin" / "guard.sh").write_text("#!/bin/sh\n")
    for path, mode in (
        (root, 0o755), (root / "s3", 0o777), (root / "s3" / "requests.jsonl", 0o664),
        (root / "bin", 0o755), (root / "bin" / "guard.sh", 0o755),
    ):  # fmt: skip
        path.chmod(mode)
    (root / "link").symlink_to("/etc/hostname")
    make_private(root, None)
    modes = {
        path.relative_to(root).as_posix(): stat.S_IMODE(path.lstat().st_mode)
        for path in [root, *root.rglob("*")]
        if not path.is_symlink()
    }
    assert modes == {
        ".": 0o700, "s3": 0o700, "s3/requests.jsonl": 0o600, "bin": 0o700, "bin/guard.sh": 0o700,
    }  # fmt: skip
    assert stat.S_IMODE(Path("/etc/hostname").stat().st_mode) & 0o044, "a link's target is left"


def test_make_private_as_root_gives_everything_to_the_account(tmp_path):
    """As root (as CI and `sudo make local` run): chown needs it."""
    nobody = pwd.getpwnam("nobody")
    root = tmp_path / "data"
    (root / "postgres").mkdir(parents=True)
    (root / "secrets.env").write_text("K=V\n")
    make_private(root, nobody)
    owners = {(p.stat().st_uid, p.stat().st_gid) for p in [root, *root.rglob("*")]}
    assert owners == {(nobody.pw_uid, nobody.pw_gid)}
