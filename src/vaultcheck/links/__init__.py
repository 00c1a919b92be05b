"""Link resolution as Obsidian does it, shared by the link rules.

- :mod:`~vaultcheck.links.files`: the files of the vault (git's index, else the disk),
  listed once per run and looked up by name and path.
- :mod:`~vaultcheck.links.resolve`: which file a target names, by Obsidian's rules.
- :mod:`~vaultcheck.links.headings`: heading and block-id matching.
- :mod:`~vaultcheck.links.targets`: headings, block ids and aliases of target notes,
  each note read at most once per run.
- :mod:`~vaultcheck.links.check`: every link of a note with its verdict.
- :mod:`~vaultcheck.links.suggest` and :mod:`~vaultcheck.links.messages`: what to say.
- :mod:`~vaultcheck.links.changes`: links elsewhere to files a commit removes.
"""
