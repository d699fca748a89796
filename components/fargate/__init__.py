"""The Fargate service: its task definition, containers, roles, deployment, images, scaling and
memory split."""
