"""The `corroborate` command: thin wrappers over `corroborate.api`."""
