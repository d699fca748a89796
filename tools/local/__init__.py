"""The production topology (nginx, gunicorn + Django, Postgres) on one machine, without Docker.

`make local` runs it in the foreground under honcho; tests/e2e starts the same Procfile entries
on free ports. Stand-ins: moto's S3 server for the media bucket, aiosmtpd for SES SMTP.
"""
