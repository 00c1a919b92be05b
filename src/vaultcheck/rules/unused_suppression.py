"""unused-suppression: a suppression comment that silences nothing, or names an unknown rule.

Suppressions outlive the problems they silenced; left behind, they hide the next real
problem on their lines, and a misspelt rule name silences nothing at all. Each rule a
comment names is judged on its own. A name counts as unused only when its rule ran
(a comment naming no rule, only when every rule on by default ran); a name that is
no rule at all is always reported. Off by default; turn it on with
``--select unused-suppression`` next to the rules it should judge, or with
``[severity] unused-suppression = "warning"``. Its own reports are silenced only by
a comment naming ``unused-suppression``.

Passes::

    %% vaultcheck-disable-next-line broken-link %%
    See [[a note that was deleted]].

Fails::

    %% vaultcheck-disable-next-line broken-link %%
    See [[a note that exists]].

    suppression of broken-link silences no problem; remove it

    %% vaultcheck-disable-next-line broken-links %%

    suppression names unknown rule 'broken-links'

Fix: delete the comment, or correct the rule name (``vaultcheck rules`` lists them).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from vaultcheck.core.problem import Problem, Severity
from vaultcheck.note.suppressions import ALL_RULES, UNUSED_SUPPRESSION, find_suppressions
from vaultcheck.rules.api import RuleContext

if TYPE_CHECKING:
    from vaultcheck.note.note import Note

NAME = UNUSED_SUPPRESSION
FAMILY = "suppressions"
SUMMARY = "A suppression comment that silences nothing or names an unknown rule."
DEFAULT_SEVERITY = Severity.WARNING
ENABLED_BY_DEFAULT = False


def check(note: Note, ctx: RuleContext) -> Iterator[Problem]:
    """The names no rule has; unused names are found after the run, when the problems
    of every rule are known (:func:`vaultcheck.gate.gate.ProblemFilter`)."""
    for suppression in find_suppressions(note):
        if suppression.rule != ALL_RULES and suppression.rule not in ctx.rule_names:
            message = f"suppression names unknown rule {suppression.rule!r}"
            yield Problem(note.path, *suppression.place, NAME, message, excerpt=suppression.comment)
