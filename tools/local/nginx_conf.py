"""Render the nginx configuration for a local run from the image's own template.

The nginx container renders components/images/nginx/templates/*.template with envsubst at start
(the official image's entrypoint does it). Here the same template goes through the same envsubst,
with the same four variables, and is included from a top-level nginx.conf of ours that keeps the pid
file and temporary files inside the data directory, runs in the foreground and logs to stdout
and stderr, the way the unprivileged image does.

Usage (from tools/local/bin/nginx): python -m tools.local.nginx_conf  -> prints the nginx.conf path
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from stack.paths import NGINX_IMAGE_DIR
from tools.local.system import LocalSetupError
from tools.local.topology import LocalTopology

TEMPLATES_DIR = NGINX_IMAGE_DIR / "templates"
# Exactly the variables the container contract gives nginx; envsubst leaves every other `$`
# (nginx's own $host, $remote_addr, ...) alone.
TEMPLATE_VARIABLES = (
    "NGINX_LISTEN_PORT",
    "NGINX_UPSTREAM",
    "NGINX_STATIC_ROOT",
    "NGINX_REAL_IP_FROM",
)

# No `user` directive: nginx never starts as root here (tools/local/bin/unprivileged), so master and
# worker run as the account that owns the private data directory and its static files.
MAIN_CONF = """\
# Written by tools/local/nginx_conf.py; every run rewrites it.
worker_processes 1;
daemon off;
pid {nginx_dir}/nginx.pid;
error_log stderr notice;

events {{
    worker_connections 1024;
}}

http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    access_log /dev/stdout;
    sendfile on;
    keepalive_timeout 65;

    client_body_temp_path {nginx_dir}/tmp/client_body;
    proxy_temp_path {nginx_dir}/tmp/proxy;
    fastcgi_temp_path {nginx_dir}/tmp/fastcgi;
    uwsgi_temp_path {nginx_dir}/tmp/uwsgi;
    scgi_temp_path {nginx_dir}/tmp/scgi;

    include {nginx_dir}/conf.d/*.conf;
}}
"""


def render_template(template: Path, environ: Mapping[str, str]) -> str:
    """The template after envsubst, exactly as the image's entrypoint would render it."""
    missing = [name for name in TEMPLATE_VARIABLES if not environ.get(name)]
    if missing:
        raise LocalSetupError(f"nginx template variables not set: {', '.join(missing)}")
    envsubst = shutil.which("envsubst")
    if envsubst is None:
        raise LocalSetupError("envsubst not found: install it with `apt-get install gettext-base`")
    shell_format = " ".join(f"${{{name}}}" for name in TEMPLATE_VARIABLES)
    result = subprocess.run(
        [envsubst, shell_format],
        input=template.read_text(),
        capture_output=True,
        text=True,
        env=dict(environ),
        check=True,
    )
    return result.stdout


def write_config(nginx_dir: Path, environ: Mapping[str, str]) -> Path:
    """Write nginx.conf and the rendered templates under nginx_dir; return nginx.conf's path."""
    templates = sorted(TEMPLATES_DIR.glob("*.template"))
    if not templates:
        raise LocalSetupError(f"no nginx templates in {TEMPLATES_DIR}")
    conf_d = nginx_dir / "conf.d"
    conf_d.mkdir(parents=True, exist_ok=True)
    (nginx_dir / "tmp").mkdir(exist_ok=True)
    for stale in conf_d.glob("*.conf"):
        stale.unlink()
    for template in templates:
        # default.conf.template -> default.conf, as the image's entrypoint names it
        (conf_d / template.name.removesuffix(".template")).write_text(
            render_template(template, environ)
        )
    main = nginx_dir / "nginx.conf"
    main.write_text(MAIN_CONF.format(nginx_dir=nginx_dir))
    return main


def main() -> int:
    try:
        path = write_config(LocalTopology.from_environment().nginx_dir, os.environ)
    except (LocalSetupError, subprocess.CalledProcessError) as error:
        print(f"nginx configuration: {error}", file=sys.stderr)
        return 1
    print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
