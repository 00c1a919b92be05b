"""The rules: one module per rule (see :mod:`vaultcheck.rules.registry`)."""
