"""Settings shared by every environment. Environment-specific modules import * from here.

Configuration comes from the environment (the names are a contract with the stack, the
compose files and the local runner; see service/README.md), read with
django-environ.
"""

from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit

import environ
from csp.constants import NONE, SELF

from django_fargate.settings import logging_settings, media_cache_control, media_storage

SERVICE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()

# --- applications ---------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    # Index expressions with an operator class (accounts.models.Profile) need the app's
    # OpClass support: https://docs.djangoproject.com/en/5.2/ref/contrib/postgres/indexes/
    "django.contrib.postgres",
    # Django's admin as `admin.site`, for staff only, at ADMIN_PATH (accounts.staff_admin).
    "accounts.staff_admin.StaffAdminConfig",
    "axes",
    "csp",
    # The platform's side: /healthz and /livez, `manage.py migrate_locked`, its system checks.
    "django_fargate",
    "core",
    "accounts",
    "tweets",
    "notifications",
]

MIDDLEWARE = [
    # First: answers the load balancer's and the container's probes (/healthz, /livez) before
    # host validation and the HTTPS redirect.
    "django_fargate.middleware.HealthCheckMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Content-Security-Policy on every page (CONTENT_SECURITY_POLICY below).
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Every page needs a signed-in user except the ones listed with @login_not_required.
    # https://docs.djangoproject.com/en/5.2/ref/middleware/#django.contrib.auth.middleware.LoginRequiredMiddleware
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    # Last, as django-axes requires: turns a locked-out sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
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
                # The header's "Notifications" link with the unread count (notifications.header).
                "notifications.header.notifications_link",
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
#
# AxesStandaloneBackend comes first: it refuses a locked-out client before any password is
# hashed, and hashes nothing itself (django-axes' AxesBackend would, being a ModelBackend).
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "tweets.backends.TimelineVersionBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Sessions in Postgres, as Django's default, read with one query written once (core.sessions).
SESSION_ENGINE = "core.sessions"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"
# A reset link signs its holder in until it is used: an hour, not Django's default three days,
# bounds how long a mail that lands in the wrong place is worth anything.
# https://docs.djangoproject.com/en/5.2/ref/settings/#password-reset-timeout
PASSWORD_RESET_TIMEOUT = 3600
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- the admin, for staff accounts (accounts.staff_admin) --------------------------------------
# Where it lives, e.g. "team/desk/"; unset: "staff-<20 hex digits>/", derived from SECRET_KEY so
# that every deployment has its own. `python manage.py createstaff` prints it. Never "admin/".
ADMIN_PATH = env("DJANGO_ADMIN_PATH", default="")

# --- repeated failed sign-ins (django-axes) --------------------------------------------------
# nginx limits how fast one address may try (etc/nginx/templates/default.conf.template); this
# stops a slow guesser. Failures are counted per account *at one address* and per address
# (accounts.lockout): after AXES_FAILURE_LIMIT failures in a row for one account from one
# address, that address may not sign in to that account for AXES_COOLOFF_TIME; after
# ACCOUNTS_ADDRESS_FAILURE_LIMIT for any accounts, it may not sign in at all. Either way a page
# says so (429). Failures from other addresses never lock the owner out, so knowing a username
# is not enough to keep its owner away. A success clears that account's count at that address;
# a password reset clears the account's everywhere (accounts.password_reset). Wrong current
# passwords on the change-password form count as failures too (accounts.password_change).
# https://django-axes.readthedocs.io/en/latest/4_configuration.html
AXES_FAILURE_LIMIT = 10
ACCOUNTS_ADDRESS_FAILURE_LIMIT = 20
AXES_COOLOFF_TIME = timedelta(minutes=15)
AXES_LOCKOUT_PARAMETERS = [["ip_address", "username"], "ip_address"]
AXES_HANDLER = "accounts.lockout.AccountAtAddressHandler"
AXES_RESET_ON_SUCCESS = True
# The cool-off runs from the last counted failure; retrying during it does not extend it.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
# The client's address as nginx restored it from the load balancer's X-Forwarded-For.
AXES_CLIENT_IP_CALLABLE = "core.client_address.client_address"

# --- caches ---------------------------------------------------------------------------------
# In the memory of each gunicorn worker: nothing else to run or pay for in the task. What is kept
# here is only ever reused under a key that changes with what it shows (a version read from the
# database, tweets.timeline_cache; what a card shows, tweets.cards), so workers never disagree
# about what is current. Memory per worker is bounded by the entry counts: a timeline page is
# about 60 kB (500 pages: ~30 MB); a card's pieces about 2.5 kB, the page around the cards a few
# kB (5,000 of them: ~20 MB); a page of explore with its cards, shared by every viewer of one
# version, about 140 kB (50 of them: ~7 MB; a busy site makes a new version many times a second,
# and old ones are never read again).
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
    "shared_pages": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "shared_pages",
        "OPTIONS": {"MAX_ENTRIES": 50},
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
# Production serves hashed file names with their manifest (HASHED_STATIC_FILES, from
# django_fargate.settings), and the image builds collect them with it (config.settings.build).
MEDIA_URL = "/media/"

# Uploaded files larger than this go to a temporary file instead of memory while they are checked.
FILE_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

# --- mail -----------------------------------------------------------------------------------
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="django-tw <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- logging: everything to stdout, where the container runtime collects it, secrets redacted --
LOGGING = logging_settings(env("DJANGO_LOG_LEVEL", default="INFO"))

# --- the product ----------------------------------------------------------------------------
TWEETS_PER_PAGE = 50
# Rendered timelines are cached per viewer for at most this long (tweets.timeline_cache); any
# change to what a timeline shows replaces it at once, so this only bounds how far "5 minutes ago"
# can lag. 0 turns the cache off.
TIMELINE_CACHE_SECONDS = 60
# Tweet cards are cached for every viewer for at most this long (tweets.cards), a shared explore
# page holding them for TIMELINE_CACHE_SECONDS more and a viewer's page built from it as long
# again: together well below how long a signed image URL works past its signing window
# (MEDIA_SIGNING_MARGIN, 3600 s). 0 turns the card cache off.
CARD_CACHE_SECONDS = 60
# Signed media URLs (django_fargate.media_storage): one URL per object for MEDIA_SIGNING_WINDOW
# seconds, valid MEDIA_SIGNING_MARGIN seconds past it; browsers keep the object as long as it works.
MEDIA_SIGNING_WINDOW = 24 * 3600
MEDIA_SIGNING_MARGIN = 3600
MEDIA_CACHE_CONTROL = media_cache_control(MEDIA_SIGNING_WINDOW, MEDIA_SIGNING_MARGIN)
# What an uploaded image may be: decoded by Pillow, one of these formats, at most this large.
IMAGE_UPLOAD_FORMATS = ("JPEG", "PNG", "GIF", "WEBP")
IMAGE_UPLOAD_MAX_BYTES = 5 * 1024 * 1024
# Width x height (x frames) at most: 16 megapixels, a 4928 x 3264 photo. Pillow alone refuses
# only past 2 x MAX_IMAGE_PIXELS (about 179 megapixels), and every viewer's browser decodes it.
IMAGE_UPLOAD_MAX_PIXELS = 16_000_000
# Frames at most (a GIF of 200,000 one-pixel frames fits in 5 MB and costs a worker half a minute),
# and the wall time decoding may take, checked between frames: well inside gunicorn's 30 s timeout
# on the task's 0.5 vCPU. Pillow refuses, on opening and on each frame, a canvas above twice
# IMAGE_UPLOAD_MAX_PIXELS (core.apps).
IMAGE_UPLOAD_MAX_FRAMES = 200
IMAGE_UPLOAD_MAX_DECODE_SECONDS = 10.0


def content_security_policy(media_storage: dict) -> dict:
    """CONTENT_SECURITY_POLICY (django-csp) for pages whose images come from `media_storage`.

    Everything from this site only: no inline script or style (the templates have none), no
    plugins, no framing, forms post here. Images also from the media bucket, whose signed URLs
    name the bucket on S3's global host or, after a redirect, its regional one; or from the
    local S3 stand-in's endpoint.
    https://django-csp.readthedocs.io/en/latest/configuration.html
    """
    images = [SELF]
    options = media_storage.get("OPTIONS", {})
    if endpoint := options.get("endpoint_url"):
        parts = urlsplit(endpoint)
        images.append(f"{parts.scheme}://{parts.netloc}")
    elif bucket := options.get("bucket_name"):
        images.append(f"https://{bucket}.s3.amazonaws.com")
        if region := options.get("region_name"):
            images.append(f"https://{bucket}.s3.{region}.amazonaws.com")
    return {
        "DIRECTIVES": {
            "default-src": [SELF],
            "img-src": images,
            "script-src": [SELF],
            "style-src": [SELF],
            "object-src": [NONE],
            "base-uri": [SELF],
            "form-action": [SELF],
            "frame-ancestors": [NONE],
        }
    }


CONTENT_SECURITY_POLICY = content_security_policy({})


def s3_media_storage() -> dict:
    """STORAGES["default"] for user uploads in the media bucket, read from the environment
    (django_fargate.settings.media_storage), with this site's signing window and margin."""
    return media_storage(
        env, signing_window=MEDIA_SIGNING_WINDOW, signing_margin=MEDIA_SIGNING_MARGIN
    )
