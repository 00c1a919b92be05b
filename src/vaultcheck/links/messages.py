"""Words shared by the link rules: how to write a link, why a target has no file.

Every message says what is wrong and what would fix it, in the syntax the author used:
a wikilink is answered with a wikilink, a Markdown link with a Markdown destination.
"""

from __future__ import annotations

from urllib.parse import quote

from vaultcheck.links.check import CheckedLink, LinkContext
from vaultcheck.links.resolve import resolve
from vaultcheck.note.syntax.model import LinkRef
from vaultcheck.vault.files import VaultFile, note_name, spelled


def written(link: LinkRef, target: str, subpath: str = "", alias: str | None = None) -> str:
    """``link`` rewritten to point at ``target#subpath`` (the text to suggest)."""
    destination = f"{target}#{subpath}" if subpath else target
    bang = "!" if link.embed else ""
    if link.kind == "markdown":
        return f"{bang}[{alias or link.alias or ''}]({quote(destination, safe='/#^')})"
    # In a table row the alias pipe is written escaped, or it would end the cell.
    pipe = "\\|" if "\\|" in link.raw else "|"
    return f"{bang}[[{destination}{pipe}{alias}]]" if alias else f"{bang}[[{destination}]]"


def link_to(
    context: LinkContext,
    link: LinkRef,
    file: VaultFile,
    subpath: str = "",
    alias: str | None = None,
) -> str:
    """How ``link`` should name ``file``: the shortest unambiguous spelling, with ``.md``
    in a Markdown link (as Obsidian writes them)."""
    text = context.suggester.link_text(file)
    if link.kind == "markdown" and file.is_note:
        text += ".md"
    return written(link, text, subpath, alias)


def target_label(checked: CheckedLink) -> str:
    """``"Note"`` for a link to another note, ``this note`` for ``[[#...]]``."""
    if checked.resolution is None or checked.resolution.file is None:
        return "this note"
    return f'"{note_name(checked.resolution.file.path)}"'


def web_address(link: LinkRef) -> str:
    """What to write instead of a web address used as a vault link: ``[[https://...]]``
    is a note name to Obsidian, ``[x](www.example.com)`` a file path."""
    whole = f"{link.target}#{link.subpath}" if link.subpath else link.target
    label = link.alias or "label"
    if link.kind == "wikilink":
        return (
            f'"{whole}" is a web address, not a note: write it as a Markdown link,'
            f" [{label}]({whole})"
        )
    return (
        f'"{whole}" is a web address without a scheme, read as a file:'
        f" write [{label}](https://{whole})"
    )


def missing_target(context: LinkContext, checked: CheckedLink, source: str) -> str:
    """Why a link's target has no file, and the likeliest fix.

    In order: a note's alias used as a target, a file the change being checked deletes
    or renames, a file that exists on disk but is not tracked by git, a near name; else
    just what is missing.
    """
    link = checked.link
    resolution = checked.resolution
    assert link is not None and resolution is not None
    target = link.target
    kind = "note" if checked.is_note_target else "file"
    where = "at" if "/" in resolution.path else "named"
    message = f'no {kind} {where} "{target}" in the vault'
    if checked.is_note_target and where == "named":
        for file in context.facts.notes_with_alias(resolution.path):
            fix = link_to(context, link, file, link.subpath, alias=target)
            return f'{message}: "{target}" is an alias of {spelled(file.path)}; link as {fix}'
    for removal in context.removed.get(checked.target_key, ()):
        if removal.renamed_to is None:
            return f"{message}: this change deletes {removal.path}"
        moved = context.index.at(removal.renamed_to)
        fix = f"; link as {link_to(context, link, moved[0], link.subpath)}" if moved else ""
        return f"{message}: this change renames {removal.path} to {removal.renamed_to}{fix}"
    # Outside git the index is the disk, where the target was just not found.
    on_disk = resolve(target, source, context.disk).file if context.index.tracked_by_git else None
    if on_disk is not None:
        return f"{message}: {on_disk.path} is on disk but not tracked by git; git add it"
    if checked.is_note_target:
        for file in context.index.attachments_by_stem.get(resolution.path.lower(), ()):
            fix = link_to(context, link, file, link.subpath)
            return f"{message}; did you mean {fix}? Files other than notes need their extension"
    near = context.suggester.near(note_name(resolution.path), checked.is_note_target)
    if near is not None:
        return f"{message}; did you mean {link_to(context, link, near, link.subpath)}?"
    return message
