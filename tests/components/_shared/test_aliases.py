"""Every component's type token names its domain and class, and former tokens become aliases."""

import importlib
import inspect
import pkgutil
from types import ModuleType

import pulumi
import pytest

import components
from components._shared.aliases import with_former_types
from tests.stack_runs import note_aliases, prod_config, run_main, stack_config


def component_modules() -> list[ModuleType]:
    """The modules of the library that declare a component class."""
    found = []
    for info in pkgutil.walk_packages(components.__path__, prefix="components."):
        module = importlib.import_module(info.name)
        if any(
            issubclass(value, pulumi.ComponentResource) and value.__module__ == module.__name__
            for value in vars(module).values()
            if inspect.isclass(value)
        ):
            found.append(module)
    return found


COMPONENT_MODULES = component_modules()


def component_class(module: ModuleType) -> type:
    (declared,) = [
        value
        for value in vars(module).values()
        if inspect.isclass(value)
        and issubclass(value, pulumi.ComponentResource)
        and value.__module__ == module.__name__
    ]
    return declared


def class_names(declared: type) -> set[str]:
    """The class's name and the names it had before (components.FORMER_NAMES)."""
    former = {old for old, new in components.FORMER_NAMES.items() if new == declared.__name__}
    return {declared.__name__} | former


def test_the_library_has_its_components():
    assert len(COMPONENT_MODULES) == 17


@pytest.mark.parametrize("module", COMPONENT_MODULES, ids=lambda m: m.__name__)
def test_one_component_per_file_and_its_token_names_the_domain_and_the_class(module):
    declared = component_class(module)
    domain = module.__name__.split(".")[1]  # components.<domain>.<module>, or components.mail
    assert f"django-tw:{domain}:{declared.__name__}" == module.COMPONENT_TYPE


@pytest.mark.parametrize("module", COMPONENT_MODULES, ids=lambda m: m.__name__)
def test_former_tokens_are_of_the_same_class_and_differ_from_the_token(module):
    for former in module.FORMER_COMPONENT_TYPES:
        assert former != module.COMPONENT_TYPE
        assert former.startswith("django-tw:")
        assert former.rsplit(":", 1)[1] in class_names(component_class(module))


def test_former_type_tokens_are_added_to_the_callers_own_options():
    caller = pulumi.ResourceOptions(protect=True, aliases=[pulumi.Alias(name="old-web")])
    merged = with_former_types(caller, "django-tw:web:PublicEntrance")
    assert merged.protect is True
    caller_alias, former = merged.aliases
    assert caller_alias.name == "old-web"
    assert former.type_ == "django-tw:web:PublicEntrance"
    assert with_former_types(None).aliases == []


@pytest.fixture(scope="module")
def prod_aliases() -> dict[str, list]:
    """Component type -> the alias types of each of its registrations in the prod stack, with
    its optional components (the web firewall) turned on."""
    patcher = pytest.MonkeyPatch()
    sent = note_aliases(patcher)
    try:
        run_main(prod_config(waf="on"))
        run_main({**stack_config("scale")})  # the components only an rds stack declares
    finally:
        patcher.undo()
    by_type: dict[str, list] = {}
    for (type_, _name), aliases in sent.items():
        by_type.setdefault(type_, []).append(aliases)
    return by_type


@pytest.mark.parametrize("module", COMPONENT_MODULES, ids=lambda m: m.__name__)
def test_every_component_of_the_prod_stack_is_registered_with_an_alias_per_former_token(
    module, prod_aliases
):
    """Only the type changes (the same name and parent), so `pulumi up` moves the component and
    its children; a component whose token never changed registers no alias."""
    registrations = prod_aliases[module.COMPONENT_TYPE]
    assert registrations
    for aliases in registrations:
        assert [alias.spec.type for alias in aliases] == list(module.FORMER_COMPONENT_TYPES)
        assert all(alias.spec.name == "" and alias.spec.parentUrn == "" for alias in aliases)
