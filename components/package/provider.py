"""The components as a Pulumi package: one provider that serves them to every Pulumi language.

``pulumi package add <path to components/>`` runs ``components/__main__.py`` (declared by
``components/PulumiPlugin.yaml``), which serves :class:`PackageProvider`. Pulumi's own analyzer
(``pulumi.provider.experimental``) infers the schema from the components' annotations; this
module adds what the components' typed Args need on top of it:

- a dataclass field with a default is optional in the schema (the analyzer marks only
  ``X | None`` fields optional);
- a field typed ``Sequence[pulumi.Resource]`` (``FargateServiceArgs.ready_after``) has no schema
  type: it is left out of the schema and filled from the caller's ``dependsOn`` option;
- the constructor gets its frozen-dataclass Args, built from the dicts the engine sends
  (``provider_inputs.args_from_inputs``), so validation and its messages are the Python ones;
- outputs that are dataclasses or sets go back as objects and lists (``plain_output``).

Every token is ``django-tw:index:<Class>`` (the analyzer puts everything in ``index``). A class
renamed since an earlier version keeps its former token as a schema alias (``aliases`` of a
resource in pulumi/pulumi pkg/codegen/schema/pulumi.json), so a program in another language
moves its resources instead of replacing them, and that token still constructs the component.
"""

import dataclasses
import inspect
import json
import sys
import typing
from collections.abc import Callable, Sequence
from typing import Any

import pulumi
from pulumi.provider import ConstructResult
from pulumi.provider import main as serve_provider
from pulumi.provider.experimental.analyzer import Analyzer, PropertyDefinition
from pulumi.provider.experimental.component import ComponentProvider
from pulumi.provider.experimental.schema import generate_schema
from pulumi.provider.provider import Provider
from pulumi.provider.server import ComponentInitError

from components import FORMER_NAMES
from components.entrance.access_log_bucket import AccessLogBucket
from components.entrance.public_entrance import PublicEntrance
from components.entrance.web_firewall import WebFirewall
from components.fargate.autoscaling import ServiceAutoscaling
from components.fargate.images import ServiceImages
from components.fargate.service import FargateService
from components.mail import SesMail
from components.monitoring.log_pattern_metric import LogPatternMetric
from components.network.endpoint_set import EndpointSet
from components.network.private_network import PrivateNetwork
from components.package.inputs import args_from_inputs, plain_output
from components.postgres.backup_bucket import PostgresBackupBucket
from components.postgres.efs import EfsPostgres
from components.postgres.rds import RdsPostgres
from components.postgres.restore_drill import RestoreDrill
from components.storage.generated_secret import GeneratedSecret
from components.storage.media_bucket import MediaBucket

PACKAGE_NAME = "django-tw"
# The package's version, kept equal to pyproject.toml's (tests/components/package/test_plugin.py).
PACKAGE_VERSION = "0.2.0"

# The components other languages can use. ServiceAlarms is not among them: its
# ``backup_failure_metric`` is a (namespace, name) tuple, which a schema cannot type.
PACKAGE_COMPONENTS: tuple[type[pulumi.ComponentResource], ...] = (
    AccessLogBucket,
    EndpointSet,
    GeneratedSecret,
    LogPatternMetric,
    RdsPostgres,
    MediaBucket,
    EfsPostgres,
    PostgresBackupBucket,
    PrivateNetwork,
    PublicEntrance,
    RestoreDrill,
    ServiceAutoscaling,
    ServiceImages,
    SesMail,
    FargateService,
    WebFirewall,
)


def with_former_tokens(schema: dict[str, Any], name: str = PACKAGE_NAME) -> dict[str, Any]:
    """The schema with an alias to each resource's former tokens (components.FORMER_NAMES)."""
    resources = schema.get("resources", {})
    for former, current in sorted(FORMER_NAMES.items()):
        spec = resources.get(f"{name}:index:{current}")
        if spec is not None:
            spec.setdefault("aliases", []).append({"type": f"{name}:index:{former}"})
    return schema


def filled_from_depends_on(annotation: Any) -> bool:
    """Whether a field is a sequence of resources: what the caller's ``dependsOn`` gives."""
    origin, arguments = typing.get_origin(annotation), typing.get_args(annotation)
    return origin is Sequence and arguments == (pulumi.Resource,)


def _depends_on(options: pulumi.ResourceOptions | None) -> list[pulumi.Resource]:
    """The resources of the caller's ``dependsOn`` (the engine sends a list, or nothing)."""
    value = options.depends_on if options else None
    if value is None:
        return []
    if isinstance(value, pulumi.Resource):
        return [value]
    if isinstance(value, Sequence) and all(isinstance(item, pulumi.Resource) for item in value):
        return [item for item in value if isinstance(item, pulumi.Resource)]
    raise TypeError(f"dependsOn must be resources, got {value!r}")


# Every package component is constructed as (name, args, opts), not as ComponentResource's own
# (type token, name, props, opts): the cast says so, which a type[ComponentResource] cannot.
_Constructor = Callable[[str, Any, pulumi.ResourceOptions | None], pulumi.ComponentResource]


def _constructor(component: type[pulumi.ComponentResource]) -> _Constructor:
    return typing.cast(_Constructor, component)


def _dataclass_fields(typ: type) -> dict[str, dataclasses.Field]:
    return {f.name: f for f in dataclasses.fields(typ)} if dataclasses.is_dataclass(typ) else {}


def has_default(field: dataclasses.Field) -> bool:
    return (
        field.default is not dataclasses.MISSING or field.default_factory is not dataclasses.MISSING
    )


class PackageAnalyzer(Analyzer):
    """Pulumi's analyzer, reading dataclass defaults as optional and leaving out the fields
    :func:`filled_from_depends_on` names."""

    def analyze_property(self, arg, typ, name, **kwargs) -> PropertyDefinition:
        field = _dataclass_fields(typ).get(name)
        if field is not None and filled_from_depends_on(field.type):
            return PropertyDefinition()  # a placeholder, dropped by analyze_type below
        definition = super().analyze_property(arg, typ, name, **kwargs)
        if field is not None and has_default(field):
            definition.optional = True
        return definition

    def analyze_type(self, typ, *, is_component_output):
        properties, mapping = super().analyze_type(typ, is_component_output=is_component_output)
        fields = _dataclass_fields(typ)
        hidden = {
            schema_name
            for schema_name, python_name in mapping.items()
            if python_name in fields and filled_from_depends_on(fields[python_name].type)
        }
        return (
            {k: v for k, v in properties.items() if k not in hidden},
            {k: v for k, v in mapping.items() if k not in hidden},
        )


class PackageProvider(ComponentProvider):
    """The provider of :data:`PACKAGE_COMPONENTS`: constructs each from its typed Args."""

    def __init__(
        self,
        components: Sequence[type[pulumi.ComponentResource]] = PACKAGE_COMPONENTS,
        name: str = PACKAGE_NAME,
        version: str = PACKAGE_VERSION,
    ) -> None:
        # ComponentProvider.__init__ with PackageAnalyzer in place of Analyzer.
        self._name = name
        self.analyzer = PackageAnalyzer(name)
        result = self.analyzer.analyze(list(components))
        self._components = {component.__name__: component for component in components}
        self._component_defs = result["component_definitions"]
        self._type_defs = result["type_definitions"]
        self._external_enum_types = result["external_enum_types"]
        self._dependencies = sorted(result["dependencies"], key=lambda d: f"{d.name}{d.version}")
        schema = generate_schema(
            name, version, None, self._component_defs, self._type_defs, self._dependencies
        )
        Provider.__init__(self, version, json.dumps(with_former_tokens(schema.to_json(), name)))

    def construct(
        self,
        name: str,
        resource_type: str,
        inputs: pulumi.Inputs,
        options: pulumi.ResourceOptions | None = None,
    ) -> ConstructResult:
        self.validate_resource_type(self._name, resource_type)
        class_name = resource_type.rsplit(":", maxsplit=1)[-1]
        class_name = FORMER_NAMES.get(class_name, class_name)  # a former token still constructs
        component, definition = self._components[class_name], self._component_defs[class_name]
        values = dict(self.map_inputs(inputs, definition))
        args_type = inspect.get_annotations(component.__init__)["args"]
        depends_on = _depends_on(options)
        for field in dataclasses.fields(args_type):
            if filled_from_depends_on(field.type) and depends_on:
                values[field.name] = depends_on
        try:
            # Building the Args runs their checks: a wrong input fails here, with the message
            # a Python program gets, and the engine shows it as the component's error.
            instance = _constructor(component)(name, args_from_inputs(args_type, values), options)
        except Exception as error:
            raise ComponentInitError(error) from error
        state = {
            schema_name: plain_output(getattr(instance, python_name, None))
            for schema_name, python_name in definition.outputs_mapping.items()
            if getattr(instance, python_name, None) is not None
        }
        return ConstructResult(instance.urn, state)


def serve() -> None:
    """Serve the package over gRPC to the Pulumi engine (``components/__main__.py``)."""
    serve_provider(PackageProvider(), sys.argv[1:])
