"""Alarms, the alarm topic's event rules and log-pattern metrics."""
