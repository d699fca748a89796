"""gunicorn settings for the web container (`gunicorn -c gunicorn.conf.py config.wsgi:application`).

Every value a deployment may tune comes from the environment; the defaults suit one small
Fargate task (0.5 vCPU) behind nginx on the task's loopback.
"""

import os
from pathlib import Path

# Where nginx reaches us: inside the task nginx and gunicorn share one loopback, and nothing else
# should reach gunicorn past nginx (awsvpc gives the task an address in the VPC). An address, not
# "localhost", which may resolve to ::1 first. GUNICORN_BIND=0.0.0.0:8000 only where a port is
# published from outside the namespace (docker-compose.yml, for development).
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Workers are processes; WEB_CONCURRENCY is the conventional knob (set by the stack per task size).
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))

# The worker heartbeat file lives in memory: on a container's overlay or EFS-backed disk a slow
# fsync can make the arbiter think a worker hung and kill it.
# https://docs.gunicorn.org/en/stable/faq.html#blocking-os-fchmod
worker_tmp_dir = "/dev/shm" if Path("/dev/shm").is_dir() else None  # noqa: S108 (tmpfs by design)

# A request that takes longer than this is stuck, not slow.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))

# ECS sends SIGTERM and waits stopTimeout (30 s by default) before SIGKILL; finishing in-flight
# requests must fit inside that window, so the graceful timeout is shorter.
# https://docs.aws.amazon.com/AmazonECS/latest/developerguide/task_definition_parameters.html
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "20"))

# nginx keeps connections to us open between requests.
keepalive = 5

# Logs go to stdout/stderr, where the container runtime (awslogs on ECS) collects them.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
# The client address nginx restored from the ALB's X-Forwarded-For, not nginx's own.
access_log_format = '%({x-real-ip}i)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s %(L)ss "%(a)s"'
# Password-reset links name a token that signs its holder in: the logger redacts them.
logger_class = "core.access_log.RedactingLogger"

# Only nginx on the same host may tell us the original scheme and client.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Restart workers now and then so a slow leak cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = 200

# No runtime control socket: the container is managed by restarting it, and a socket under
# $HOME would need a writable home directory the non-root user does not have.
control_socket_disable = True
