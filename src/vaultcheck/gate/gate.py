"""What a run reports of the problems its rules found.

The rules report everything; this module narrows it down, in order:

1. inline suppressions (``%% vaultcheck-disable-next-line RULE %%`` and kin, see
   :mod:`vaultcheck.note.suppressions`), adding ``unused-suppression`` problems when selected;
2. ``[per-file-ignores]``: glob -> rules, matched like ``exclude``;
3. the baseline (``--baseline FILE``, or the one ``--write-baseline FILE`` just wrote);
4. ``--diff-base REF``: only problems on lines the change added or rewrote, plus links
   anywhere that it broke (to notes it deletes or renames, to headings and blocks of
   notes it changes).

A problem inside the frontmatter counts as touched when any line of the frontmatter
changed: a property removed on line 5 is reported as missing at the opening ``---``.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from vaultcheck.core.problem import Problem
from vaultcheck.engine.check import NoteCheck
from vaultcheck.engine.found import Found
from vaultcheck.engine.record import NoteRecord, record_note
from vaultcheck.note.note import Note
from vaultcheck.note.suppressions import (
    ALL_RULES,
    UNUSED_SUPPRESSION,
    Suppression,
    apply_suppressions,
)
from vaultcheck.rules.api import RuleContext
from vaultcheck.rules.registry import RULES, broken_elsewhere_by
from vaultcheck.rules.selection import Selection, expand_rule_names
from vaultcheck.vault.changes import renames_since
from vaultcheck.vault.config import Config, ConfigError
from vaultcheck.vault.notes import read_note
from vaultcheck.vault.vault import Vault
from vaultcheck.vault.walk import gitignore_spec, matchable

if TYPE_CHECKING:
    import pathspec

    from vaultcheck.gate.baseline import Key
    from vaultcheck.links.check import LinkContext
    from vaultcheck.links.source import LinkSource
    from vaultcheck.vault.gitdiff import DiffSummary

PER_FILE_IGNORES = "per-file-ignores"
REMOVAL_RULES = broken_elsewhere_by("removal")
"""Rules whose problem a change causes elsewhere by deleting or renaming the target."""
TARGET_RULES = broken_elsewhere_by("edit")
"""Rules whose problem a change causes elsewhere by editing the target note."""


@dataclass(frozen=True)
class PerFileIgnores:
    """``[per-file-ignores]``: rules that are not reported for notes matching a glob."""

    entries: tuple[tuple[pathspec.GitIgnoreSpec, frozenset[str]], ...] = ()

    @classmethod
    def from_config(cls, config: Config) -> PerFileIgnores:
        """The table of a config, rule and family names checked (unknown ones: ConfigError)."""
        origin = f"{config.source or 'configuration'}: {PER_FILE_IGNORES}"
        return cls(
            tuple(
                (
                    gitignore_spec([glob]),
                    frozenset(expand_rule_names(names, f"{origin} '{glob}'")),
                )
                for glob, names in config.section(PER_FILE_IGNORES).items()
            )
        )

    def ignores(self, rel: str, rule: str) -> bool:
        rel = matchable(rel)
        return any(rule in rules and spec.match_file(rel) for spec, rules in self.entries)


@dataclass
class RecordingCheck:
    """What the gate keeps of each note a run looked at, from its record, so it never
    reads a note again: the notes checked with every selected rule (``checked``; the
    notes looked at only for links to removed files, with a few rules, are not), their
    suppression comments, the line closing their frontmatter, and (with ``keep_links``,
    for ``--diff-base``) their links."""

    check: NoteCheck
    keep_links: bool = False
    checked: set[Path] = field(default_factory=set)
    suppressions: dict[Path, tuple[Suppression, ...]] = field(default_factory=dict)
    frontmatter_ends: dict[Path, int] = field(default_factory=dict)
    links: dict[Path, LinkSource] = field(default_factory=dict)

    def __call__(self, note: Note, context: RuleContext, selection: Selection) -> list[Problem]:
        """Check a note given whole (read from stdin), keeping what the gate needs of it."""
        problems = self.check(note, context, selection)
        self.saw(record_note(note, context, selection, problems))
        return problems

    def saw(self, record: NoteRecord) -> None:
        """A note checked through its record (by a worker, or from the cache)."""
        self.checked.add(record.path)
        self.looked_at(record)

    def looked_at(self, record: NoteRecord) -> None:
        """A note looked at only for some links: what the gate needs, but not ``checked``."""
        if record.suppressions:
            self.suppressions[record.path] = record.suppressions
        if record.frontmatter_end:
            self.frontmatter_ends[record.path] = record.frontmatter_end
        if self.keep_links and record.links is not None:
            self.links[record.path] = record.links


@dataclass
class Filtered:
    """The problems to report and how many each later stage held back."""

    problems: Sequence[Problem]
    in_baseline: int = 0
    outside_diff: int = 0
    baseline_written: int | None = None
    baseline_unmatched: int = 0
    """Entries of a baseline none of whose notes is in the vault (0 when any is)."""


def _located(entries: Counter[Key], vault: Vault, source: Path) -> tuple[Counter[Key], int]:
    """A baseline's entries with renamed notes under their new paths (git is asked only
    when some entry names a note that is not there), and the number of entries when
    none of them names a note of the vault (a baseline written for another root)."""
    from vaultcheck.gate.baseline import follow_renames, paths_of

    missing = {rel for rel in paths_of(entries) if not (vault.root / rel).is_file()}
    if missing:
        renames = {old: new for old, new in renames_since(vault.root, source).items() if old in missing}
        entries = follow_renames(entries, renames)
        missing = {rel for rel in paths_of(entries) if not (vault.root / rel).is_file()}
    unmatched = entries.total() if entries and missing == paths_of(entries) else 0
    return entries, unmatched


@dataclass
class ProblemFilter:
    """The filters of one run, set up (and checked) before the rules run.

    ``baseline`` is read and ``diff`` asked of git up front, so a missing file or an
    unknown commit stops the run before any output. With ``write_to``, the problems
    reaching the baseline stage are written there (old entries the run could not find
    again are kept) and become the baseline.
    """

    vault: Vault
    links: LinkContext
    selection: Selection
    ignores: PerFileIgnores = PerFileIgnores()
    baseline: Counter[Key] | None = None
    write_to: Path | None = None
    diff: DiffSummary | None = None
    unmatched: int = 0
    _notes: dict[Path, Note] = field(default_factory=dict)

    @classmethod
    def for_run(
        cls,
        vault: Vault,
        links: LinkContext,
        selection: Selection,
        baseline: Path | None = None,
        write_baseline: Path | None = None,
        diff_base: str | None = None,
    ) -> ProblemFilter:
        if baseline is not None and write_baseline is not None and baseline != write_baseline:
            raise ConfigError("--baseline and --write-baseline name different files; give one")
        # The baseline and git modules load only for runs that use them (start-up time).
        source = write_baseline or baseline
        old = None
        unmatched = 0
        if source is not None and (baseline is not None or source.exists()):
            from vaultcheck.gate.baseline import read_baseline

            old = read_baseline(source, vault.config.max_baseline_size)
            old, unmatched = _located(old, vault, source)
        diff = None
        if diff_base is not None:
            from vaultcheck.vault.gitdiff import diff_since

            diff = diff_since(diff_base, vault.root)
            links.diff_base = diff.base
        ignores = PerFileIgnores.from_config(vault.config)
        return cls(vault, links, selection, ignores, old, write_baseline, diff, unmatched)

    def remember(self, note: Note) -> None:
        """Judge ``note``'s problems on this text, not the disk's (a note read from stdin)."""
        self._notes[note.path] = note

    def note(self, path: Path) -> Note:
        """A note with problems, read again (once) for the text the filters look at."""
        if path not in self._notes:
            self._notes[path] = read_note(
                path, self.vault.relative(path), self.vault.root, self.vault.config.max_file_size
            )
        return self._notes[path]

    def apply(self, problems: Sequence[Problem], recorded: RecordingCheck) -> Filtered:
        kept: Sequence[Problem] = self._unsuppressed(problems, recorded)
        if self.ignores.entries:
            kept = [
                problem
                for problem in kept
                if not self.ignores.ignores(self.vault.relative(problem.path), problem.rule)
            ]
        result = Filtered(kept, baseline_unmatched=self.unmatched)
        baseline = self.baseline
        if self.write_to is not None or baseline is not None:
            from vaultcheck.gate.baseline import (
                baseline_key,
                filter_baseline,
                updated,
                write_baseline,
            )
        if self.write_to is not None:
            keys = [baseline_key(problem, self.note(problem.path)) for problem in kept]
            checked = {self.vault.relative(path) for path in recorded.checked}
            baseline = updated(baseline or Counter(), keys, checked, self.selection.severities)
            write_baseline(self.write_to, baseline)
            result.baseline_written = baseline.total()
        if baseline is not None:
            keyed = [(problem, baseline_key(problem, self.note(problem.path))) for problem in kept]
            kept = filter_baseline(keyed, baseline)
            result.in_baseline = len(result.problems) - len(kept)
        if self.diff is not None:
            before = len(kept)
            kept = [problem for problem in kept if self._touched(problem, self.diff, recorded)]
            result.outside_diff = before - len(kept)
        result.problems = kept
        return result

    def _unsuppressed(self, problems: Sequence[Problem], recorded: RecordingCheck) -> Sequence[Problem]:
        """The problems no comment silences, and the ``unused-suppression`` problems."""
        unused_level = self.selection.severities.get(UNUSED_SUPPRESSION)
        if isinstance(problems, Found) and not (unused_level is not None and recorded.suppressions):
            # Only the problems of notes with suppression comments need to be looked at.
            def untouched(path: Path) -> bool:
                return path not in recorded.suppressions

            return problems.keep(untouched, lambda found: self._unsuppressed(found, recorded))
        by_path: dict[Path, list[Problem]] = {}
        for problem in problems:
            by_path.setdefault(problem.path, []).append(problem)
        if unused_level is not None:
            for path in recorded.suppressions:
                by_path.setdefault(path, [])
        kept: list[Problem] = []
        for path, found in by_path.items():
            suppressions = recorded.suppressions.get(path, ())
            if not suppressions:
                kept.extend(found)
                continue
            ran = self._rules_judged(path in recorded.checked)
            note_kept, unused = apply_suppressions(path, suppressions, found, ran)
            kept.extend(note_kept)
            if unused_level is not None:
                kept.extend(dataclasses.replace(problem, severity=unused_level) for problem in unused)
        kept.sort(key=Problem.sort_key)
        return kept

    def _rules_judged(self, fully_checked: bool) -> Collection[str]:
        """The rules whose suppressions can be called unused in a note: those that ran on
        it, and every rule (``*``) when each rule on by default ran."""
        if UNUSED_SUPPRESSION not in self.selection.severities or not fully_checked:
            return ()
        ran = set(self.selection.severities)
        if all(name in ran for name, rule in RULES.items() if rule.enabled_by_default):
            ran.add(ALL_RULES)
        return ran

    def _touched(self, problem: Problem, diff: DiffSummary, recorded: RecordingCheck) -> bool:
        first, last = problem.line, problem.end_line
        closing = recorded.frontmatter_ends.get(problem.path, 0)
        if problem.line <= closing:
            first, last = 1, max(closing, last)
        if diff.touches(self.vault.relative(problem.path), first, last):
            return True
        source = recorded.links.get(problem.path)
        return (
            problem.rule in REMOVAL_RULES | TARGET_RULES
            and source is not None
            and self._link_broken_by(problem, source, diff)
        )

    def _link_broken_by(self, problem: Problem, source: LinkSource, diff: DiffSummary) -> bool:
        """True when the problem's link asks for a file the change removes, or (for a
        heading or block) for a note the change edits."""
        start = source.lines.offset(problem.line, problem.column)
        links = self.links
        for checked in links.checked_links(source):
            if checked.start != start or checked.resolution is None:
                continue
            if problem.rule in REMOVAL_RULES:
                return checked.target_key in links.removed
            target = checked.resolution.file
            return target is not None and diff.changed(target.path)
        return False
