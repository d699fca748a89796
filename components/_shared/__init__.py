"""What several domains use: type-token aliases, IAM documents, DNS names, the permissions
boundary."""
