"""The pure core of the timestamp rules: what a video citation like ``[00:03:42]`` means.

Nothing here reads files or builds problems; the rules ``timestamp-malformed`` and
``timestamp-order`` turn what these modules compute into problems.

- :mod:`~vaultcheck.timestamps.clock`: the bracketed time and whether it is well-formed;
- :mod:`~vaultcheck.timestamps.video`: ``t=``/``start=`` parameters and YouTube video ids;
- :mod:`~vaultcheck.timestamps.citation`: a timestamp checked against its link and note;
- :mod:`~vaultcheck.timestamps.sections`: a note cut into sections at its headings;
- :mod:`~vaultcheck.timestamps.order`: the fewest timestamps to drop so a section ascends;
- :mod:`~vaultcheck.timestamps.options`: ``[tool.vaultcheck.timestamps]``.
"""
