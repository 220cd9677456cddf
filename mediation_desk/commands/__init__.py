"""The commands of the command line, one module per group, each with its subparsers, its handlers and their text
and JSON output: ``setup`` (init, orgs), ``ledger``, ``cases``, ``stats``, ``backup`` and ``demo``; ``common`` and
``output`` hold what they share (exit statuses, opening the desk, tables, the progress bar).

Like ``cli.py``, nothing here imports the GUI, the store or SQLAlchemy: every command goes through services.
"""
