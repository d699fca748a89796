"""django_fargate: what a Django project adds to run on the platform (see README.md).

Importing the package loads nothing else: `python -m django_fargate.healthcheck` runs every 30 s
in the container and must stay cheap.
"""

__version__ = "0.2.0"
