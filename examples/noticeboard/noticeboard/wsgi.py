"""The WSGI application gunicorn serves (``noticeboard.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "noticeboard.settings")

application = get_wsgi_application()
