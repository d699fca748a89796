"""The environment contract of the task's containers (nginx, web, and db or db-init), declared
once.

For every variable a container reads: its name, whether it is a secret (the task passes it from
Secrets Manager, never as plain environment), what it means and what reads it (for the web
container, the Django setting built from it). Everything that runs the containers starts from
here: the stack (`stack/containers.py` builds the task's environment and secrets, and checks
the db container the component builds), `make local` (`tools/local/topology.py`), and the tests that
hold `service/docker-compose.production.yml` and the Django settings to it.

Plain data on the standard library (the types it is written in, and the check of a place's
environment against it, are in ``stack/contract_types.py``): the stack imports it without
Django, and the components never see it (they know nothing about Django).
"""

from stack.contract_types import ContainerContract, Variable

NGINX_TEMPLATE = "components/images/nginx/templates/default.conf.template"

NGINX = ContainerContract(
    "nginx",
    (
        Variable(
            "NGINX_LISTEN_PORT",
            "The port nginx listens on: the load balancer's target port.",
            NGINX_TEMPLATE,
        ),
        Variable(
            "NGINX_UPSTREAM",
            "gunicorn's address on the task's loopback (127.0.0.1:8000), never a name: "
            "localhost may resolve to ::1 first, where nothing listens.",
            NGINX_TEMPLATE,
        ),
        Variable(
            "NGINX_STATIC_ROOT",
            "Where nginx serves /static/ from. The nginx image holds the collected files at "
            "/var/www/static and sets it; `make local` points it at its own directory.",
            NGINX_TEMPLATE,
            required=False,
        ),
        Variable(
            "NGINX_REAL_IP_FROM",
            "The addresses of the proxy in front (the VPC's CIDR: the load balancer), whose "
            "X-Forwarded-For nginx trusts.",
            NGINX_TEMPLATE,
        ),
    ),
)

WEB = ContainerContract(
    "web",
    (
        Variable(
            "DJANGO_SETTINGS_MODULE",
            "config.settings.production wherever the task's processes run.",
            "Django itself (service/manage.py, config/wsgi.py)",
        ),
        Variable(
            "DJANGO_SECRET_KEY",
            "Signs sessions, password-reset links and CSRF tokens.",
            "settings.SECRET_KEY",
            secret=True,
        ),
        Variable(
            "DJANGO_ALLOWED_HOSTS",
            "Host names the site answers to, comma-separated: the domain, or the load "
            "balancer's DNS name.",
            "settings.ALLOWED_HOSTS",
        ),
        Variable(
            "DJANGO_CSRF_TRUSTED_ORIGINS",
            "More origins trusted for CSRF, comma-separated (a browser's plain-http origin "
            "where Django believes it is behind TLS, as in the local browser test).",
            "settings.CSRF_TRUSTED_ORIGINS",
            required=False,
        ),
        Variable(
            "DJANGO_HTTPS",
            "false only where the site is served over plain http (no domain, localhost): no "
            "HTTPS redirect, Secure cookies or HSTS. Default true; the stack sets it only then.",
            "settings.SECURE_SSL_REDIRECT, settings.SESSION_COOKIE_SECURE, "
            "settings.CSRF_COOKIE_SECURE",
            required=False,
        ),
        Variable(
            "DATABASE_URL",
            "postgres://APP_USER:PASSWORD@127.0.0.1:5432/DB: the application's role, never "
            "the superuser.",
            "settings.DATABASES",
            secret=True,
        ),
        Variable(
            "DJANGO_CONN_MAX_AGE",
            "Seconds a database connection is kept between requests (default 60).",
            "settings.DATABASES (CONN_MAX_AGE)",
            required=False,
        ),
        Variable(
            "DJANGO_STATIC_ROOT",
            "Where the collected static files and their manifest are. The web image collects "
            "them into /var/www/static at build time and sets it; `make local` collects into "
            "its own directory.",
            "settings.STATIC_ROOT",
            required=False,
        ),
        Variable(
            "AWS_STORAGE_BUCKET_NAME",
            "The media bucket user uploads go to.",
            "settings.STORAGES (the media storage)",
        ),
        Variable(
            "AWS_S3_REGION_NAME",
            "The media bucket's region.",
            "settings.STORAGES (the media storage)",
        ),
        Variable(
            "AWS_S3_ENDPOINT_URL",
            "An S3-compatible stand-in's endpoint; in AWS boto3 finds S3 itself.",
            "settings.STORAGES (the media storage)",
            required=False,
            stand_in_only=True,
        ),
        Variable(
            "EMAIL_HOST",
            "The SMTP server (SES: email-smtp.<region>.amazonaws.com); empty when the site "
            "sends no mail.",
            "settings.EMAIL_HOST",
        ),
        Variable("EMAIL_PORT", "The SMTP port (587, STARTTLS).", "settings.EMAIL_PORT"),
        Variable(
            "EMAIL_HOST_USER",
            "The SMTP user name (for SES an IAM access key id); absent without mail.",
            "settings.EMAIL_HOST_USER",
            secret=True,
            required=False,
        ),
        Variable(
            "EMAIL_HOST_PASSWORD",
            "The SMTP password; absent without mail.",
            "settings.EMAIL_HOST_PASSWORD",
            secret=True,
            required=False,
        ),
        Variable("EMAIL_USE_TLS", "STARTTLS on the SMTP connection.", "settings.EMAIL_USE_TLS"),
        Variable(
            "DEFAULT_FROM_EMAIL",
            "The sender of the site's mail (password resets).",
            "settings.DEFAULT_FROM_EMAIL",
        ),
        Variable(
            "DJANGO_SECURE_HSTS_SECONDS",
            "HSTS max-age (default a year over HTTPS, 0 otherwise).",
            "settings.SECURE_HSTS_SECONDS",
            required=False,
        ),
        Variable(
            "DJANGO_HSTS_INCLUDE_SUBDOMAINS",
            "HSTS for every name under the domain too (default false; the stack's "
            "hstsIncludeSubdomains).",
            "settings.SECURE_HSTS_INCLUDE_SUBDOMAINS",
            required=False,
        ),
        Variable(
            "DJANGO_HSTS_PRELOAD",
            "HSTS preload (default false; the stack's hstsPreload).",
            "settings.SECURE_HSTS_PRELOAD",
            required=False,
        ),
        Variable(
            "DJANGO_ADMIN_PATH",
            "Where Django's admin lives, for staff only (e.g. team/desk/; never admin/). Default "
            "staff-<20 hex digits>/, derived from the secret key; createstaff prints it.",
            "settings.ADMIN_PATH",
            required=False,
        ),
        Variable(
            "DJANGO_LOG_LEVEL",
            "The root logger's level (default INFO).",
            "settings.LOGGING",
            required=False,
        ),
        Variable(
            "WEB_CONCURRENCY",
            "gunicorn's worker processes (the stack sizes it to the task).",
            "django_fargate.gunicorn_conf",
        ),
        Variable(
            "GUNICORN_BIND",
            "gunicorn's address: the loopback only (127.0.0.1:8000), nothing reaches it past "
            "nginx.",
            "django_fargate.gunicorn_conf",
        ),
    ),
)

DB = ContainerContract(
    "db",
    (
        Variable(
            "POSTGRES_USER",
            "The bootstrap superuser (postgres).",
            "docker-entrypoint.sh, postgres-prepare.sh",
        ),
        Variable(
            "POSTGRES_PASSWORD",
            "The superuser's password; only the db container knows it.",
            "docker-entrypoint.sh, postgres-prepare.sh",
            secret=True,
        ),
        Variable(
            "POSTGRES_DB",
            "The application's database, created on first start.",
            "docker-entrypoint.sh, postgres-prepare.sh",
        ),
        Variable(
            "POSTGRES_APP_USER",
            "The application's role: owns the database, no superuser, CREATEDB, CREATEROLE or "
            "REPLICATION.",
            "postgres-prepare.sh",
        ),
        Variable(
            "POSTGRES_APP_PASSWORD",
            "The application role's password (also inside the web container's DATABASE_URL).",
            "postgres-prepare.sh",
            secret=True,
        ),
        Variable(
            "POSTGRES_INITDB_ARGS",
            "scram-sha-256 for host and local connections of a new cluster. The image sets "
            "it and the task repeats it; `make local` passes the same to initdb.",
            "docker-entrypoint.sh",
            required=False,
        ),
        Variable(
            "PGDATA",
            "The data directory: a subdirectory of the volume (initdb wants an empty one).",
            "postgres-guard.sh, postgres-prepare.sh, postgres",
        ),
        Variable(
            "PG_LOCK_WAIT_SECONDS",
            "How long a second server waits for the first one's lock before it gives up "
            "(default 180, past Fargate's longest stopTimeout).",
            "postgres-guard.sh",
            required=False,
        ),
        Variable(
            "PG_LOCK_FILE",
            "The guard's lock file (default postgres.lock beside PGDATA).",
            "postgres-guard.sh",
            required=False,
        ),
        Variable(
            "BACKUP_DESTINATION_URL",
            "s3://bucket/prefix of the WAL archive and base backups; empty: archiving off.",
            "postgres-backup",
        ),
        Variable(
            "BACKUP_SERVER_NAME",
            "The server's name in the archive (barman-cloud's server name).",
            "postgres-backup",
        ),
        Variable(
            "BACKUP_RETENTION_DAYS",
            "Base backups and WAL kept for this many days (the recovery window).",
            "postgres-backup",
        ),
        Variable(
            "BASE_BACKUP_TIME",
            "HH:MM (UTC) of the daily base backup.",
            "postgres-backup",
        ),
        Variable(
            "ARCHIVE_TIMEOUT_SECONDS",
            "A quiet database still ships a WAL segment this often (archive_timeout).",
            "postgres-backup",
        ),
        Variable(
            "AWS_DEFAULT_REGION",
            "The backup bucket's region, for barman-cloud's boto3.",
            "postgres-backup (barman-cloud)",
        ),
        Variable(
            "DB_SIGNALS_NAMESPACE",
            "CloudWatch namespace of the db container's own metrics (embedded metric format).",
            "postgres-db-signals",
            required=False,
        ),
        Variable(
            "DB_SIZE_BUDGET_BYTES",
            "The size the databases are budgeted for: DatabaseBudgetPercent's 100%.",
            "postgres-db-signals",
            required=False,
        ),
        Variable(
            "BACKUP_ENDPOINT_URL",
            "The S3 stand-in's endpoint for the archive; in AWS boto3 finds S3 itself.",
            "postgres-backup",
            required=False,
            stand_in_only=True,
        ),
    ),
)

# With a managed database (RDS) the task has no db container: db-init (the web image) makes the
# application's role as the master user, then exits. It runs only in AWS: compose and `make
# local` know only the three above. libpq reads the PG* variables.
DB_INIT_SCRIPT = "django_fargate.rds_app_role"
_LIBPQ = f"libpq ({DB_INIT_SCRIPT})"

DB_INIT = ContainerContract(
    "db-init",
    (
        Variable("PGHOST", "The RDS instance's address.", _LIBPQ),
        Variable("PGPORT", "The instance's Postgres port.", _LIBPQ),
        Variable("PGDATABASE", "The application's database (RDS made it).", _LIBPQ),
        Variable("PGSSLMODE", "verify-full: the CA chain and the host name.", _LIBPQ),
        Variable("PGSSLROOTCERT", "The RDS CA bundle in the web image.", _LIBPQ),
        Variable("PGUSER", "The master user (RDS's secret, username).", _LIBPQ, secret=True),
        Variable("PGPASSWORD", "Its password (RDS's secret, rotated).", _LIBPQ, secret=True),
        Variable("APP_DB_USER", "The application's role, made if missing.", DB_INIT_SCRIPT),
        Variable(
            "APP_DB_PASSWORD",
            "The role's password (as in web's DATABASE_URL), set at every start.",
            DB_INIT_SCRIPT,
            secret=True,
        ),
    ),
)

CONTRACTS: dict[str, ContainerContract] = {c.container: c for c in (NGINX, WEB, DB)}
"""The containers every place runs (the task, compose, `make local`)."""

TASK_CONTRACTS: dict[str, ContainerContract] = {**CONTRACTS, DB_INIT.container: DB_INIT}
"""Every container a task may hold: db with Postgres in the task, db-init with RDS."""
