"""`{{ field_file|rendition:"w508" }}`: the URL and CSS size an <img> shows an upload at
(core.renditions.shown), from its stored name alone: no query, no request to the bucket."""

from django import template

from core.renditions import Shown, shown

register = template.Library()


@register.filter
def rendition(field_file, label: str) -> Shown | None:
    if not field_file:
        return None
    return shown(field_file, label)
