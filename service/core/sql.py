"""Table and column names of models, quoted for SQL written by hand (core.sessions,
tweets.backends, tweets.pages, tweets.timelines): names from the models, never from input."""

from django.db import connection
from django.db.models import Model


def table(model: type[Model]) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def column(model: type[Model], field: str) -> str:
    return connection.ops.quote_name(model._meta.get_field(field).column)
