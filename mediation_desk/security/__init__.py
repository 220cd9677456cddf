"""Secrets and personal data at rest: the keyring adapter, the desk's data key, field encryption.

Nothing here imports Qt or the store: the store's models use the column types of ``fields``, and the store and the
services bind a desk's key to its engine through ``binding``.
"""
