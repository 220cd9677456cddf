"""Sync between desks by files (SYNC.md): keys, the file format, import, export and the merge rules."""
