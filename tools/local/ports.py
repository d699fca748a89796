"""The TCP ports of one copy of the topology, and the check that they are free before it starts."""

from __future__ import annotations

import socket
from collections.abc import Mapping
from dataclasses import asdict, dataclass, fields

from tools.local.system import LocalSetupError


@dataclass(frozen=True)
class Ports:
    """TCP ports on 127.0.0.1. The defaults are the container ports of the Fargate task."""

    http: int = 8080  # nginx, the only port a browser needs
    web: int = 8000  # gunicorn
    db: int = 5432  # Postgres
    s3: int = 9000  # moto's S3 server (stands in for the media bucket)
    smtp: int = 1025  # aiosmtpd (stands in for SES SMTP)

    @staticmethod
    def variable(name: str) -> str:
        """The environment variable that sets the port called ``name`` (LOCAL_HTTP_PORT...)."""
        return f"LOCAL_{name.upper()}_PORT"

    @classmethod
    def from_environment(cls, environ: Mapping[str, str]) -> Ports:
        """Ports from LOCAL_HTTP_PORT, LOCAL_WEB_PORT, ... where set, the defaults otherwise."""
        values = {}
        for name in (port.name for port in fields(cls)):
            raw = environ.get(cls.variable(name))
            if raw:
                if not raw.isdigit() or not 0 < int(raw) < 65536:
                    raise LocalSetupError(
                        f"{cls.variable(name)}={raw!r} is not a TCP port: use 1-65535"
                    )
                values[name] = int(raw)
        return cls(**values)

    @classmethod
    def free(cls) -> Ports:
        """Ports nothing listens on right now (for tests that run beside `make local`)."""
        sockets = []
        try:
            for _ in fields(cls):
                sock = socket.socket()
                sock.bind(("127.0.0.1", 0))
                sockets.append(sock)
            numbers = [sock.getsockname()[1] for sock in sockets]
        finally:
            for sock in sockets:
                sock.close()
        return cls(*numbers)

    def as_dict(self) -> dict[str, int]:
        return asdict(self)

    def as_environment(self) -> dict[str, str]:
        """The variables that give another process these ports."""
        return {self.variable(name): str(port) for name, port in self.as_dict().items()}


def check_ports_free(ports: Ports) -> None:
    """Fail early, naming the variable to change, when something already listens on a port."""
    for name, port in ports.as_dict().items():
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            try:
                probe.bind(("127.0.0.1", port))
            except OSError as busy:
                raise LocalSetupError(
                    f"port {port} ({name}) is already in use (another `make local`, or a system "
                    f"service?): stop it, or pick another port with {Ports.variable(name)}=..."
                ) from busy
