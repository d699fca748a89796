"""The program's own modules: its settings, the service's containers and contract, the database
choice and the operations wiring that __main__.py composes."""
