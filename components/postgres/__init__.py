"""PostgreSQL: on EFS inside the task, or on RDS; its backups, their bucket and the restore
drill."""
