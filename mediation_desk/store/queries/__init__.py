"""The SQL the services run, one module per subject: cases, organisations, mediators, statistics.

Each function takes a session (or returns a statement) and plain values, and returns ORM objects or plain values;
what a use case makes of them (permissions, validation, the data it returns) stays in ``services/``.
"""
