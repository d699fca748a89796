"""ServiceImages: one ECR repository per Dockerfile, built and pushed on `pulumi up`."""

from collections.abc import Mapping
from dataclasses import dataclass, field

import pulumi
import pulumi_awsx as awsx

from components._shared.aliases import with_former_types

COMPONENT_TYPE = "django-tw:fargate:ServiceImages"
# Its earlier tokens: an alias to each moves a stack's resources instead of replacing them.
FORMER_COMPONENT_TYPES = (
    "django-tw:images:ServiceImages",
    "django-tw:service_images:ServiceImages",
)


@dataclass(frozen=True)
class ServiceImagesArgs:
    """Images to build from one context directory."""

    context: str
    """Build context, relative to the Pulumi project (e.g. ``service``)."""
    dockerfiles: Mapping[str, str]
    """Image name -> Dockerfile path, e.g. ``{"web": "service/Dockerfile"}``."""
    platform: str = "linux/amd64"
    """Target platform; must match the task's CPU architecture."""
    keep_images: int = 10
    """Images kept per repository; older ones expire (ECR storage costs money)."""
    force_delete: bool = False
    """Allow deleting a repository that still holds images."""
    build_args: Mapping[str, str] = field(default_factory=dict)
    """Docker build arguments passed to every image (``ARG`` values); never secrets."""
    contexts: Mapping[str, str] = field(default_factory=dict)
    """Image name -> its own build context, for an image whose files are not in ``context``
    (the platform's nginx and Postgres images); the others build from ``context``."""
    image_build_args: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Image name -> build arguments for that image only (on top of ``build_args``)."""
    built_from: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """Image name -> {build argument: another image's name}: the argument is that image's URI,
    so it is built after it (nginx copies the static files out of the web image)."""

    def __post_init__(self) -> None:
        if not self.dockerfiles:
            raise ValueError("ServiceImagesArgs.dockerfiles is empty; name at least one image")
        if self.platform not in ("linux/amd64", "linux/arm64"):
            raise ValueError(
                f"ServiceImagesArgs.platform is {self.platform!r}; use linux/amd64 or linux/arm64"
            )
        if self.keep_images < 1:
            raise ValueError("ServiceImagesArgs.keep_images must be 1 or more")
        for image, sources in self.built_from.items():
            for source in sources.values():
                if source not in self.dockerfiles or source == image:
                    raise ValueError(
                        f"ServiceImagesArgs.built_from[{image!r}] names {source!r}; name "
                        f"another image of dockerfiles ({', '.join(self.dockerfiles)})"
                    )

    def build_order(self) -> list[str]:
        """The images, each after the images it is built from."""
        order: list[str] = []

        def visit(image: str, path: tuple[str, ...]) -> None:
            if image in path:
                raise ValueError(f"ServiceImagesArgs.built_from loops: {' -> '.join(path)}")
            for source in self.built_from.get(image, {}).values():
                visit(source, (*path, image))
            if image not in order:
                order.append(image)

        for image in self.dockerfiles:
            visit(image, ())
        return order


def repository_arn(url: str) -> str:
    """ARN of the ECR repository behind ``<account>.dkr.ecr.<region>.amazonaws.com/<name>``."""
    registry, _, name = url.partition("/")
    account, _, rest = registry.partition(".dkr.ecr.")
    region = rest.split(".", 1)[0]
    return f"arn:aws:ecr:{region}:{account}:repository/{name}"


class ServiceImages(pulumi.ComponentResource):
    """ECR repositories (scan on push, lifecycle policy) and the images, pinned by digest."""

    image_uris: dict[str, pulumi.Output[str]]
    repository_urls: dict[str, pulumi.Output[str]]
    repository_arns: dict[str, pulumi.Output[str]]

    def __init__(
        self, name: str, args: ServiceImagesArgs, opts: pulumi.ResourceOptions | None = None
    ) -> None:
        super().__init__(
            COMPONENT_TYPE, name, None, with_former_types(opts, *FORMER_COMPONENT_TYPES)
        )
        child = pulumi.ResourceOptions(parent=self)
        self.image_uris = {}
        self.repository_urls = {}
        self.repository_arns = {}
        for image in args.build_order():
            dockerfile = args.dockerfiles[image]
            build_args: dict[str, pulumi.Input[str]] = {
                **args.build_args,
                **args.image_build_args.get(image, {}),
                **{
                    arg: self.image_uris[source]
                    for arg, source in args.built_from.get(image, {}).items()
                },
            }
            repository = awsx.ecr.Repository(
                f"{name}-{image}",
                image_scanning_configuration={"scan_on_push": True},
                # Tags move (each push retags "latest"); tasks pin images by digest (imageUri).
                image_tag_mutability="MUTABLE",
                force_delete=args.force_delete,
                lifecycle_policy=awsx.ecr.LifecyclePolicyArgs(
                    rules=[
                        awsx.ecr.LifecyclePolicyRuleArgs(
                            description=f"keep the last {args.keep_images} images",
                            tag_status=awsx.ecr.LifecycleTagStatus.ANY,
                            maximum_number_of_images=args.keep_images,
                        )
                    ]
                ),
                opts=child,
            )
            built = awsx.ecr.Image(
                f"{name}-{image}-image",
                repository_url=repository.url,
                context=args.contexts.get(image, args.context),
                dockerfile=dockerfile,
                platform=args.platform,
                args=build_args or None,
                opts=child,
            )
            self.image_uris[image] = built.image_uri
            self.repository_urls[image] = repository.url
            self.repository_arns[image] = repository.url.apply(repository_arn)
        # In the order the images were named (built in build_order), as before built_from.
        for outputs in (self.image_uris, self.repository_urls, self.repository_arns):
            ordered = {image: outputs[image] for image in args.dockerfiles}
            outputs.clear()
            outputs.update(ordered)
        self.register_outputs(
            {"image_uris": self.image_uris, "repository_urls": self.repository_urls}
        )
