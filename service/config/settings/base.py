"""Settings shared by every environment. Environment-specific modules import * from here.

Configuration comes from the environment (the names are a contract with the stack, the
compose files and the local runner; see the README's "The service" section), read with
django-environ.
"""

from pathlib import Path

import environ

SERVICE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# --- applications ---------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "core",
    "accounts",
    "tweets",
]

MIDDLEWARE = [
    # First: answers the load balancer's and the container's probes (/healthz, /livez) before
    # host validation and the HTTPS redirect.
    "core.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Every page needs a signed-in user except the ones listed with @login_not_required.
    # https://docs.djangoproject.com/en/5.2/ref/middleware/#django.contrib.auth.middleware.LoginRequiredMiddleware
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [SERVICE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- database -------------------------------------------------------------------------------
# DATABASE_URL: postgres://USER:PASSWORD@HOST:5432/DB (host is localhost inside the Fargate task).
DATABASES = {
    "default": env.db_url("DATABASE_URL", default="postgres://django_tw@localhost:5432/django_tw")
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- authentication -------------------------------------------------------------------------
# The first backend signs users in and loads them with their timeline versions (one query for
# both); ModelBackend still serves sessions that name it. A password the first one refuses never
# reaches ModelBackend, so every sign-in hashes once (tweets.backends).
AUTHENTICATION_BACKENDS = [
    "tweets.backends.TimelineVersionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- caches ---------------------------------------------------------------------------------
# In the memory of each gunicorn worker: nothing else to run or pay for in the task. What is kept
# here is only ever reused under a key that changes with what it shows (a version read from the
# database, tweets.timeline_cache; what a card shows, tweets.cards), so workers never disagree
# about what is current. Memory per worker is bounded by the entry counts: a timeline page is
# about 60 kB (500 pages: ~30 MB); a card's five pieces about 2.5 kB, the page around the cards
# a few kB (5,000 of them: ~20 MB).
# https://docs.djangoproject.com/en/5.2/topics/cache/#local-memory-caching
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "timelines": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "timelines",
        "OPTIONS": {"MAX_ENTRIES": 500},
    },
    "cards": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "cards",
        "OPTIONS": {"MAX_ENTRIES": 5000},
    },
}

# --- internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- static files and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [SERVICE_DIR / "static"]
STATIC_ROOT = env.path("DJANGO_STATIC_ROOT", default=str(SERVICE_DIR / "staticfiles"))
MEDIA_URL = "/media/"

# Uploaded files larger than this go to a temporary file instead of memory while they are checked.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- mail -----------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="django-tw <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- logging: everything to stdout, where the container runtime collects it -----------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"},
    },
    "handlers": {
        "stdout": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stdout",
            "formatter": "plain",
        },
    },
    "root": {"handlers": ["stdout"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # 4xx/5xx are already in gunicorn's access log; keep Django's own request log for 5xx.
        "django.request": {"level": "ERROR", "propagate": True},
    },
}

# --- the product ----------------------------------------------------------------------------
TWEETS_PER_PAGE = 50
# Rendered timelines are cached per viewer for at most this long (tweets.timeline_cache); any
# change to what a timeline shows replaces it at once, so this only bounds how far "5 minutes ago"
# can lag. 0 turns the cache off.
TIMELINE_CACHE_SECONDS = 60
# Tweet cards are cached for every viewer for at most this long (tweets.cards), and a page built
# from them for TIMELINE_CACHE_SECONDS more: together well below the lifetime of the signed image
# URLs they carry (querystring_expire below, 3600 s). 0 turns the card cache off.
CARD_CACHE_SECONDS = 60
# What an uploaded image may be: decoded by Pillow, one of these formats, at most this large.
IMAGE_UPLOAD_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
IMAGE_UPLOAD_MAX_BYTES = 5 * 1024 * 1024


def s3_media_storage() -> dict:
    """STORAGES["default"] for user uploads in the media bucket, read from the environment.

    No access keys here: boto3's credential chain finds the ECS task role (or, for local runs
    and tests, whatever the environment provides). `DEFAULT_FILE_STORAGE` no longer exists
    since Django 5.1; the STORAGES setting replaces it.
    https://docs.djangoproject.com/en/5.2/ref/settings/#storages
    https://django-storages.readthedocs.io/en/latest/backends/amazon-S3.html
    """
    endpoint_url = env("AWS_S3_ENDPOINT_URL", default=None) or None
    options = {
        "bucket_name": env("AWS_STORAGE_BUCKET_NAME"),
        "region_name": env("AWS_S3_REGION_NAME"),
        # The bucket stays private: pages link to short-lived signed URLs.
        "querystring_auth": True,
        "querystring_expire": 3600,
        # Signature V4: V2 signed URLs are deprecated and refused by regions opened since 2014.
        # https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-authenticating-requests.html
        "signature_version": "s3v4",
        # Uploads get generated names; never silently replace an existing object.
        "file_overwrite": False,
        "object_parameters": {"CacheControl": "private, max-age=3600"},
    }
    if endpoint_url:
        # A local S3-compatible server (moto in tests) answers on one host name only.
        options["endpoint_url"] = endpoint_url
        options["addressing_style"] = "path"
    return {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": options}
