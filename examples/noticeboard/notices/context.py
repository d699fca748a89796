from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """The site's name in every page's header and title."""
    return {"site_name": settings.NOTICEBOARD_NAME}
