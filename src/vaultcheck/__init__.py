"""vaultcheck: keep an Obsidian vault correct, from pre-commit to the pull-request gate."""

__version__ = "0.1.0"
