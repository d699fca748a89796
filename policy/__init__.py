"""django-tw's security rules: plain functions in :mod:`policy.rules`, a Pulumi policy pack in
``policy/__main__.py`` (``pulumi preview --policy-pack policy``)."""
