"""gunicorn settings for an app's web container:
`gunicorn -c python:django_fargate.gunicorn_conf config.wsgi:application`.

Every value a deployment may tune comes from the environment; the defaults suit one small
Fargate task (0.5 vCPU) behind nginx on the task's loopback. gunicorn reads a config module's
public names that are its settings and ignores the rest.
https://docs.gunicorn.org/en/stable/configure.html#configuration-file
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
# "sync" for a WSGI application; an ASGI one names an ASGI worker its project installs
# (uvicorn-worker's "uvicorn_worker.UvicornWorker").
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "sync")

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
# Reset links, URL passwords and the environment's secrets never reach the access log.
logger_class = "django_fargate.gunicorn.RedactingLogger"

# Only nginx on the same host may tell us the original scheme and client.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")

# Worker recycling: a worker is replaced after about this many requests. A new worker starts with
# empty caches (a process-local cache, such as the demo's LocMem page and card caches, where a
# page not rendered yet costs ~40 ms instead of ~2 ms) and imports Django again. At 2,000 requests
# a busy task replaced each of its workers every few seconds, and never recycling served 13% more
# timelines and 60% more /healthz (the demo's docs/benchmarks.md). The guard against a leak is the
# web container's hard memory limit (480 MiB of prod's 1 GiB task, components/fargate/memory.py):
# past it the kernel kills the largest process, a worker, and gunicorn starts another, without
# stopping the task. An app's caches should be bounded (the demo's MAX_ENTRIES), so a worker's
# memory levels off. Recycling stays on as a backstop for growth below the limit, 50 times rarer:
# at the benchmark's full load (~280 timelines/s per worker) a worker lives about six minutes
# instead of seven seconds, so what recycling costs falls from ~13% to a fraction of a percent; at
# 10 requests/s a worker lives about five hours. The jitter (10%) keeps the two workers, which see
# the same load, from restarting together. GUNICORN_MAX_REQUESTS=0 turns recycling off.
# https://docs.gunicorn.org/en/stable/settings.html#max-requests
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "100000"))
max_requests_jitter = max_requests // 10

# Not preloaded: each worker imports the application after the fork. Preloading would import it
# once in the arbiter and share those pages copy-on-write, but CPython's reference counts write
# to the objects as the workers run, so the sharing fades; the caches, where the memory grows,
# are filled per worker either way; and whatever the import opened (a connection, a client, a
# thread) would be shared by every forked worker. What it would buy, a replacement worker that
# skips the import, matters little now that workers are rarely replaced.
# https://docs.gunicorn.org/en/stable/settings.html#preload-app
preload_app = False

# No runtime control socket: the container is managed by restarting it, and a socket under
# $HOME would need a writable home directory the non-root user does not have.
control_socket_disable = True
