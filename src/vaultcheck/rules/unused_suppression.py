"""unused-suppression: a suppression comment that silences nothing, or names an unknown rule.

Suppressions outlive the problems they silenced; left behind, they hide the next real
problem on that line. Off by default; turn it on with ``--select unused-suppression``
or ``[severity] unused-suppression = "warning"``. A comment counts as unused only
when every rule it names ran; one naming a rule that does not exist is always reported.

Passes::

    %% vaultcheck-disable-next-line broken-link %%
    See [[a note that was deleted]].

Fails::

    %% vaultcheck-disable-next-line broken-link %%
    See [[a note that exists]].

Fix: delete the comment, or correct the rule name.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from vaultcheck.problem import Problem, Severity
from vaultcheck.rules.report import problem_at
from vaultcheck.suppressions import ALL_RULES, UNUSED_SUPPRESSION, find_suppressions

if TYPE_CHECKING:
    from vaultcheck.note import Note
    from vaultcheck.vault import Vault

NAME = UNUSED_SUPPRESSION
FAMILY = "suppressions"
SUMMARY = "A suppression comment that silences nothing or names an unknown rule."
DEFAULT_SEVERITY = Severity.WARNING
ENABLED_BY_DEFAULT = False


def check(note: Note, vault: Vault) -> Iterator[Problem]:
    from vaultcheck.rules import RULES

    if "vaultcheck-" not in note.text:
        return
    for suppression in find_suppressions(note):
        unknown = [name for name in suppression.rules if name != ALL_RULES and name not in RULES]
        if unknown:
            names = ", ".join(repr(name) for name in unknown)
            yield problem_at(note, NAME, suppression.start, suppression.end,
                             f"suppression names unknown rule {names}")
