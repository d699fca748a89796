"""The settings of the Pulumi run the program is in: read through ``pulumi.Config``, checked,
and stopped at the documentation's example names unless the run is under mocks."""

from __future__ import annotations

import pulumi

from stack.names import check_stack_name
from stack.parsers import network, site
from stack.settings.declaration import config_key
from stack.settings.fields import SETTING_NAMES, StackSettings, load_settings


def config_from_pulumi() -> dict[str, str]:
    """The current stack's settings as :func:`load_settings` takes them (inside a Pulumi run).

    Read through :class:`pulumi.Config`, one bag per namespace (``django-tw``, ``aws``). Pulumi
    has already merged in the defaults of ``Pulumi.yaml``'s ``config:`` block (the same as
    :data:`SETTINGS`'). Values stay text, a list (``availabilityZoneIds``) as its JSON
    (``Plaintext.marshalText``, pulumi's sdk/go/common/resource/config/plaintext.go):
    :func:`load_settings` parses and checks every one of them, with a message that says what
    is allowed; the typed getters (``get_int``...) would refuse less precisely, and could not
    check a setting against another.
    """
    values: dict[str, str] = {}
    for name in SETTING_NAMES:
        namespace, _, key = config_key(name).partition(":")
        value = pulumi.Config(namespace).get(key)
        if value is not None:
            values[name] = value
    return values


def example_settings(settings: StackSettings) -> list[tuple[str, str]]:
    """(setting, value) of every name the stack would use that is still a documentation
    example (``example.com``, ``example.org``...). ``hostedZone`` counts only when something
    uses it (a domain or a sender): a stack without either never looks it up."""
    used = {
        "domain": settings.domain,
        "hostedZone": settings.hosted_zone if settings.domain or settings.mail_from else "",
        "mailFrom": settings.mail_from,
    }
    return [(name, value) for name, value in used.items() if site.is_example_name(value)]


def example_settings_message(found: list[tuple[str, str]]) -> str:
    """One line naming each setting to change."""
    named = ", ".join(f"`{config_key(name)}` ({value!r})" for name, value in found)
    return (
        f"{named} still name the documentation example, which no AWS account owns: set your "
        "own in Pulumi.<stack>.yaml (an empty domain and mailFrom serve plain HTTP on the load "
        "balancer's name, without mail)"
    )


def running_under_mocks() -> bool:
    """True when the program runs under Pulumi's mocks (the tests, ``make plan``): every path to
    them, ``pulumi.runtime.set_mocks``, installs a ``MockMonitor`` (the offline recorder
    subclasses it); the engine of a real ``pulumi preview``/``up`` never does."""
    from pulumi.runtime.mocks import MockMonitor
    from pulumi.runtime.settings import get_monitor

    return isinstance(get_monitor(), MockMonitor)


def settings_of_this_run() -> StackSettings:
    """The current stack's settings, checked (inside a Pulumi run, before any resource). A real
    preview or update also stops, with one line, at example names it would otherwise send to
    AWS; a run under mocks keeps them, so the tests and the plan run on the example stack."""
    import pulumi

    check_stack_name(pulumi.get_stack())
    config = config_from_pulumi()
    settings = load_settings(config)
    for line in network.egress_deprecations(config):
        pulumi.log.warn(line)
    if not running_under_mocks() and (found := example_settings(settings)):
        raise pulumi.RunError(example_settings_message(found))
    return settings
