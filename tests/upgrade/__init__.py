"""Upgrade tests: a database made by an earlier commit, migrated by this one."""
