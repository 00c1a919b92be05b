"""What a note's link verdicts depend on, so that a stored verdict is reused only while
it would come out the same.

A link's verdict and message depend on the note's own links, and on the rest of the
vault only through:

- the *world*: which files the vault has (names, paths, symlinks; git's index or the
  disk), which notes have which aliases (the hint for ``[[Some Alias]]``), what the
  change being checked deletes or renames, and, inside git, which files are on disk
  but untracked or tracked but gone (the hint "on disk but not tracked");
- the link facts (headings, block ids, aliases) of each note it links to.

:func:`world_key` hashes the first, :func:`facts_digest` each note's facts; a stored
result records both, and serves while they are what they were.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import TYPE_CHECKING

from vaultcheck.engine.record_json import encode_facts
from vaultcheck.vault.git import git_output

if TYPE_CHECKING:
    from vaultcheck.links.check import LinkContext
    from vaultcheck.links.source import LinkSource
    from vaultcheck.links.targets import NoteFacts
    from vaultcheck.vault.vault import Vault

#: The facts hash of a note whose facts cannot be had (a symlink, an unreadable file).
NO_FACTS = b""


def facts_digest(facts: NoteFacts | None) -> bytes:
    """A hash of a note's link facts (:data:`NO_FACTS` for none)."""
    if facts is None:
        return NO_FACTS
    text = json.dumps(encode_facts(facts), separators=(",", ":"), ensure_ascii=False)
    return hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=12).digest()


def world_key(vault: Vault, links: LinkContext) -> bytes:
    """A hash of everything besides the note itself and the facts of the notes it links
    to that a link verdict depends on (see the module's docstring)."""
    index = vault.files
    digest = hashlib.blake2b(digest_size=16)
    digest.update(repr((index.tracked_by_git, index.notice)).encode("utf-8", "surrogateescape"))
    facts = links.facts
    for file in index.files:
        digest.update(file.path.encode("utf-8", "surrogateescape"))
        digest.update(b"\1" if file.symlink else b"\0")
        for alias in facts.aliases(file) if file.is_note else ():
            digest.update(b"\2" + alias.encode("utf-8", "surrogateescape"))
    if index.tracked_by_git:
        for name, removed in sorted(links.removed.items()):
            digest.update(repr((name, removed)).encode("utf-8", "surrogateescape"))
        digest.update(b"\3" + (_untracked_and_gone(vault) or b""))
    return digest.digest()


def _untracked_and_gone(vault: Vault) -> bytes | None:
    """git's list of the files on disk it does not track (and does not ignore), and of the
    files it tracks that are gone from disk: with git's index, they make the files on
    disk a broken link's hint looks in."""
    return git_output(["ls-files", "-z", "-t", "--others", "--deleted", "--exclude-standard", "--", "."], vault.root)


def link_targets(context: LinkContext, source: LinkSource) -> dict[str, NoteFacts | None]:
    """The notes ``source``'s links lead to, by normalised vault path, with the facts the
    verdicts used."""
    targets: dict[str, NoteFacts | None] = {}
    for checked in context.checked_links(source):
        resolution = checked.resolution
        if resolution is not None and resolution.file is not None and resolution.file.is_note:
            targets[resolution.file.path] = checked.facts
    return targets


def encode_deps(targets: Mapping[str, NoteFacts | None], digests: dict[str, bytes]) -> str:
    """The ``deps`` of a stored result: each target's path and facts hash (``digests``
    remembers hashes across notes: many notes link to the same one)."""
    flat: list[str] = []
    for path in sorted(targets):
        if path not in digests:
            digests[path] = facts_digest(targets[path])
        flat.extend((path, digests[path].hex()))
    return json.dumps(flat, separators=(",", ":"))
