"""Private S3 buckets (media) and generated secrets."""
