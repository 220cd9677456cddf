"""Pure domain rules: codes, identity numbers, the case lifecycle, numbering. Imports neither Qt nor SQLAlchemy."""
