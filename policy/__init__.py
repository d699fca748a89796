"""django-tw's security rules as plain functions (:mod:`policy.rules`, one module per AWS
service), run by :mod:`policy.evaluator`, and a Pulumi policy pack in ``policy/__main__.py``
(``pulumi preview --policy-pack policy``).

Layers, each importing only those before it: :mod:`policy.aws_types` (type tokens) ->
:mod:`policy.model` (Rule, Finding, the registry) -> :mod:`policy.readers`, :mod:`policy.reach`
-> :mod:`policy.rules` -> :mod:`policy.evaluator` -> ``policy/__main__.py``.
"""
