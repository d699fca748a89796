"""The staff admin through nginx, as an operator brings it up: `manage.py createstaff` run beside
the web process (as through ECS Exec), its set-password mail followed, then the admin path it
printed. /admin/ and the admin's path answer 404 to everyone but staff; the admin's sign-in is the
site's, limited by nginx and locked out by django-axes like anyone's."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
from collections import Counter
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from service.tests.e2e.users import new_user, reset_link, wait_for_mail
from stack.paths import SERVICE_DIR
from tools.local.client import SiteClient
from tools.local.harness import RunningTopology

pytestmark = [pytest.mark.e2e, pytest.mark.timeout(240)]

LIMIT = 10  # AXES_FAILURE_LIMIT: failures in a row for one account at one address
BURST = 10  # nginx: limit_req zone=auth_posts burst=10
TEMPLATE_SYNTAX = ("{%", "{{", "{#")


def createstaff(topology: RunningTopology, username: str, email: str) -> str:
    """The command as an operator runs it in the web container: its output."""
    result = subprocess.run(
        [sys.executable, "manage.py", "createstaff", "--username", username, "--email", email,
         "--superuser", "--site", urlsplit(topology.base_url).netloc],
        cwd=SERVICE_DIR, env=topology.environment, capture_output=True, text=True, timeout=120,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return result.stdout


def set_password_from_mail(topology: RunningTopology, email: str, password: str) -> None:
    link = urlsplit(reset_link(wait_for_mail(topology.data_dir / "mail", email)))
    visitor = SiteClient(topology.base_url)
    confirm = visitor.post(link.path, {"code": link.fragment})
    assert confirm.status_code == 302, confirm.status_code
    path = urlsplit(confirm.headers["Location"]).path
    done = visitor.post(path, {"new_password1": password, "new_password2": password})
    assert done.status_code in (302, 303), done.text[:2000]


@pytest.fixture(scope="module")
def staff(running_topology: RunningTopology):
    """A superuser made by createstaff, with the password set through its mail: (user, the
    admin's path, the sign-in URL printed)."""
    user = new_user("staff")
    output = createstaff(running_topology, user.username, user.email)
    sign_in = re.search(r"Sign in at (\S+)", output).group(1)
    admin = sign_in.partition("?next=")[2]
    assert re.fullmatch(r"/staff-[0-9a-f]{20}/", admin), output
    set_password_from_mail(running_topology, user.email, user.password)
    return user, admin, sign_in


def visible_text(page: str) -> str:
    without_code = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", without_code))


def test_createstaff_prints_where_to_sign_in(topology: RunningTopology, staff):
    _user, admin, sign_in = staff
    printed = urlsplit(sign_in)
    assert (printed.netloc, printed.path) == (
        urlsplit(topology.base_url).netloc,
        "/accounts/login/",
    )
    assert printed.query == f"next={admin}"


def test_staff_sign_in_through_the_site_and_use_the_admin(topology: RunningTopology, staff):
    user, admin, _ = staff
    client = SiteClient(topology.base_url)
    response = client.post(
        f"/accounts/login/?next={admin}",
        {"username": user.username, "password": user.password},
        form_path="/accounts/login/",
    )
    assert (response.status_code, response.headers["Location"]) == (302, admin)
    for path in (admin, f"{admin}auth/user/", f"{admin}auth/group/add/"):
        page = client.get(path)
        assert page.status_code == 200, path
        text = visible_text(page.text)
        assert "django-tw staff" in text, path
        assert not [mark for mark in TEMPLATE_SYNTAX if mark in text], path
    assert user.username in visible_text(client.get(f"{admin}auth/user/").text)


def test_the_admin_answers_404_to_everyone_but_staff(topology: RunningTopology, staff):
    _, admin, _ = staff
    anonymous = SiteClient(topology.base_url)
    for path in ("/admin/", "/admin/login/", admin, f"{admin}login/", f"{admin}auth/user/"):
        response = anonymous.get(path, allow_redirects=False)
        assert response.status_code == 404, path
    member = new_user("member")
    client = SiteClient(topology.base_url)
    client.sign_up(member.username, member.email, member.password)
    client.log_in(member.username, member.password)
    for path in (admin, f"{admin}auth/user/"):
        assert client.get(path, allow_redirects=False).status_code == 404, path


def test_the_admin_login_takes_no_password(topology: RunningTopology, staff):
    user, admin, _ = staff
    visitor = SiteClient(topology.base_url)
    csrf = visitor.csrf_token("/accounts/login/")
    response = visitor.post(
        f"{admin}login/", {"username": user.username, "password": user.password}, token=csrf
    )
    assert response.status_code == 404
    assert visitor.get(admin, allow_redirects=False).status_code == 404


def test_the_admin_sign_in_is_rate_limited_by_nginx(topology: RunningTopology, staff):
    _, admin, _ = staff
    visitor = SiteClient(topology.base_url)
    csrf = visitor.csrf_token("/accounts/login/")
    statuses = Counter(
        visitor.post(
            f"/accounts/login/?next={admin}",
            {"username": f"nobody-{n}", "password": "wrong"},
            token=csrf,
            form_path="/accounts/login/",
        ).status_code
        for n in range(BURST + 5)
    )
    assert statuses[429] >= 3, statuses


def test_guessing_at_a_staff_account_locks_that_address_out(topology: RunningTopology, staff):
    """One address, slower than nginx's limit would matter for: django-axes stops it at the
    limit, and the right password from there is refused too."""
    user, admin, _ = staff
    guesser = SiteClient(topology.base_url)
    csrf = guesser.csrf_token("/accounts/login/")
    statuses = []
    for _ in range(LIMIT):
        statuses.append(
            guesser.post(
                f"/accounts/login/?next={admin}",
                {"username": user.username, "password": "wrong"},
                token=csrf,
                form_path="/accounts/login/",
            ).status_code
        )
    assert statuses == [200] * (LIMIT - 1) + [429], statuses
    locked = guesser.post(
        f"/accounts/login/?next={admin}",
        {"username": user.username, "password": user.password},
        token=csrf,
        form_path="/accounts/login/",
    )
    assert locked.status_code == 429
    assert "Too many failed sign-ins" in locked.text
    assert guesser.get(admin, allow_redirects=False).status_code == 404
    # The owner, elsewhere, still signs in.
    owner = SiteClient(topology.base_url)
    owner.log_in(user.username, user.password)
    assert owner.get(admin).status_code == 200


def test_local_manage_runs_createstaff_beside_a_running_topology(topology: RunningTopology):
    """`python -m tools.local.manage`, the local stand-in for ECS Exec into the web container, with
    the password on standard input."""
    user = new_user("localstaff")
    environment = {
        **os.environ,
        "LOCAL_DIR": str(topology.data_dir),
        **topology.ports.as_environment(),
    }
    result = subprocess.run(
        [sys.executable, "-m", "tools.local.manage", "createstaff", "--username", user.username,
         "--email", user.email, "--password-stdin", "--site", urlsplit(topology.base_url).netloc],
        input=user.password + "\n", env=environment, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert user.password not in result.stdout + result.stderr
    admin = result.stdout.rpartition("?next=")[2].strip()
    client = SiteClient(topology.base_url)
    client.log_in(user.username, user.password)
    assert client.get(admin).status_code == 200


@pytest.mark.browser
def test_in_a_browser_staff_reach_the_admin_and_its_pages_break_no_policy(
    page: Page, topology: RunningTopology, staff
):
    """Chromium reports on its console what the Content-Security-Policy blocks; the admin's
    scripts and styles are static files, so nothing is."""
    user, admin, _ = staff
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(f"/accounts/login/?next={admin}")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", user.password)
    page.click("main form button[type=submit]")
    page.wait_for_url(f"**{admin}")
    expect(page.locator("#site-name")).to_contain_text("django-tw staff")
    page.click(f"a[href='{admin}auth/user/']")
    page.wait_for_url(f"**{admin}auth/user/")
    page.click(f"#result_list a:text-is('{user.username}')")
    page.wait_for_url(f"**{admin}auth/user/*/change/")
    expect(page.locator("input[name=username]")).to_have_value(user.username)
    text = page.inner_text("body")
    assert not [mark for mark in TEMPLATE_SYNTAX if mark in text]
    assert not [line for line in console if "Content Security Policy" in line], console
