"""No pages of its own: the platform's health views answer from the middleware."""

urlpatterns: list = []
