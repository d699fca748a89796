"""The multi-language Pulumi package: the provider and its input conversion."""
