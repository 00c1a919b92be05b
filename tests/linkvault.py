"""Helpers of the link tests: read problems out of ``vaultcheck check`` output, find where a
link is written, and generate a larger vault that knows which of its links it broke.

The generated vault is written from Obsidian's published syntax (help.obsidian.md:
"Internal links", "Embed files", "Link to blocks", "Basic formatting syntax" tables):
wikilinks with and without ``.md``, aliases, path-qualified and differently-cased
targets, headings (nested, and written the way Obsidian writes a heading holding
``: # | ^``), block ids after paragraphs, list items, and on their own line after
quotes and tables, embeds (sized images, PDF pages), URL-encoded Markdown links,
relative Markdown links, escaped pipes in tables, links in frontmatter properties and
in headings; and the places where ``[[...]]`` is no link (code, comments, math).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from urllib.parse import quote

_PROBLEM = re.compile(
    r"^(?P<path>.+?):(?P<line>\d+):(?P<column>\d+): (?P<rule>[a-z-]+) (?P<message>.*)$"
)

Reported = tuple[str, int, int, str]
"""(vault path, line, column, rule) of one problem."""


def reported(output: str) -> list[Reported]:
    """The problems of ``--format text`` output (run from the vault root), in order."""
    found = []
    for line in output.splitlines():
        match = _PROBLEM.match(line)
        if match:
            found.append(
                (match["path"], int(match["line"]), int(match["column"]), match["rule"])
            )
    return found


def messages(output: str) -> dict[tuple[str, int, int], str]:
    """``(path, line, column) -> "rule message"`` of ``--format text`` output."""
    found = {}
    for line in output.splitlines():
        match = _PROBLEM.match(line)
        if match:
            key = (match["path"], int(match["line"]), int(match["column"]))
            found[key] = f"{match['rule']} {match['message']}"
    return found


def locate(text: str, needle: str, occurrence: int = 0) -> tuple[int, int]:
    """1-based (line, column) of the ``occurrence``-th ``needle`` in ``text``."""
    index = -1
    for _ in range(occurrence + 1):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


# --- the generated vault -------------------------------------------------------------

WORDS = (
    *("orbit", "lattice", "river", "signal", "memory", "habit", "quiet", "lantern", "prism"),
    *("harbor", "meadow", "cipher", "echo", "ember", "fable", "garnet", "hollow", "ivory"),
    *("juniper", "kestrel", "lumen", "mosaic", "nectar", "oasis", "pebble", "quartz", "rune"),
    *("saffron", "tundra", "umber", "velvet", "willow", "zephyr", "atlas", "beacon", "cobalt"),
)
FOLDERS = ("", "Topics", "People", "Projects/Alpha", "Projects/Beta", "Daily/2024", "Reading")
HEADING_PUNCTUATION = ("", "", "", ": a summary", "?", " (draft)", " #2", " & more", " v1.2")
BROKEN_KINDS = (
    "no-note", "near-name", "no-heading", "wrong-nesting", "no-block", "no-attachment",
    "alias", "split", "url", "outside", "md-no-note", "path-not-matching",
)
BROKEN_RULE = {
    "no-note": "broken-link", "near-name": "broken-link", "no-heading": "broken-heading",
    "wrong-nesting": "broken-heading", "no-block": "broken-block-ref",
    "no-attachment": "missing-attachment", "alias": "broken-link", "split": "broken-link",
    "url": "broken-link", "outside": "broken-link", "md-no-note": "broken-link",
    "path-not-matching": "broken-link",
}


def linkable(heading: str) -> str:
    """A heading as Obsidian writes it in a link (``Q: why #1?`` -> ``Q why 1?``)."""
    return " ".join(re.sub(r"[:#|^\\]|%%|\[\[|\]\]", " ", heading).split())


@dataclass
class PlannedNote:
    path: str
    headings: list[tuple[int, str]] = field(default_factory=list)
    block_ids: list[str] = field(default_factory=list)
    aliases: list[str] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1][:-3]

    @property
    def folder(self) -> str:
        return self.path.rpartition("/")[0]


@dataclass
class GeneratedVault:
    files: dict[str, str | bytes]
    broken: set[Reported]
    links_written: int


class _Writer:
    """One note's lines; links are placed with their 1-based line and column known."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, line: str = "") -> None:
        self.lines.append(line)

    def position_of(self, line: str, piece: str) -> tuple[int, int]:
        """Where ``piece`` starts when ``line`` is added next."""
        return len(self.lines) + 1, line.index(piece) + 1


class VaultGenerator:
    """A deterministic vault of ``count`` notes: the same seed gives the same files."""

    def __init__(self, seed: int = 7, count: int = 300) -> None:
        self.rng = random.Random(seed)
        self.count = count
        self.notes: list[PlannedNote] = []
        self.attachments: list[str] = []
        self.broken: set[Reported] = set()
        self.links_written = 0

    # planning: names, headings and block ids of every note before any text is written
    def plan(self) -> None:
        rng = self.rng
        used: set[str] = set()
        for number in range(self.count):
            words = rng.sample(WORDS, rng.randint(1, 3))
            style = rng.random()
            if style < 0.2:
                name = "_".join(words)
            elif style < 0.3:
                name = f"{words[0].title()}. {' '.join(words[1:]) or 'notes'}"
            else:
                name = " ".join(word.title() if rng.random() < 0.5 else word for word in words)
            name = f"{name} {number}"
            folder = rng.choice(FOLDERS)
            path = f"{folder}/{name}.md" if folder else f"{name}.md"
            used.add(path.lower())
            note = PlannedNote(path)
            level = 1
            for index in range(rng.randint(2, 6)):
                level = max(1, min(6, level + rng.choice((-1, 0, 1, 1))))
                text = f"{rng.choice(WORDS).title()} {index}{rng.choice(HEADING_PUNCTUATION)}"
                if self.notes and rng.random() < 0.08:
                    # A link inside a heading: a link, and part of the heading's text.
                    text += f" [[{rng.choice(self.notes).path[:-3]}]]"
                    self.links_written += 1
                note.headings.append((level, text))
            note.block_ids = [f"{rng.choice(WORDS)}-{number}-{i}" for i in range(rng.randint(0, 3))]
            if rng.random() < 0.15:
                note.aliases = [f"Alias of {number}"]
            self.notes.append(note)
        # Two notes share a name in different folders: bare links to it stay valid.
        twin = self.notes[1]
        copy = PlannedNote(f"Archive/{twin.name}.md", list(twin.headings), list(twin.block_ids))
        self.notes.append(copy)
        for number in range(12):
            kind = ("png", "jpg", "pdf", "canvas")[number % 4]
            self.attachments.append(f"assets/{rng.choice(WORDS)} {number}.{kind}")

    # links
    def _spell(self, source: PlannedNote, target: PlannedNote) -> str:
        """A target as people write it: the name (any case, with or without ``.md``) or a
        path suffix; always unambiguous for notes that share their name."""
        rng = self.rng
        shared = sum(note.name.lower() == target.name.lower() for note in self.notes) > 1
        if shared:
            return target.path[:-3]
        roll = rng.random()
        if roll < 0.5 or not target.folder:
            name = target.name
        elif roll < 0.8:
            name = f"{target.folder.rsplit('/', 1)[-1]}/{target.name}"
        else:
            name = target.path[:-3]
        if rng.random() < 0.15:
            name = name.lower() if rng.random() < 0.5 else name.upper()
        if rng.random() < 0.15:
            name += ".md"
        return name

    def _valid_link(self, source: PlannedNote) -> str:
        rng = self.rng
        target = self.rng.choice(self.notes)
        spelled = self._spell(source, target)
        roll = rng.random()
        if roll < 0.25:
            return f"[[{spelled}]]"
        if roll < 0.35:
            return f"[[{spelled}|{rng.choice(WORDS)} {rng.choice(WORDS)}]]"
        if roll < 0.5 and target.headings:
            _level, text = rng.choice(target.headings)
            return f"[[{spelled}#{linkable(text)}]]"
        if roll < 0.55:
            nested = self._nested(target)
            if nested:
                return f"[[{spelled}#{nested}]]"
        if roll < 0.65 and target.block_ids:
            bang = "!" if rng.random() < 0.4 else ""
            return f"{bang}[[{spelled}#^{rng.choice(target.block_ids)}]]"
        if roll < 0.72:
            return f"![[{spelled}]]"
        if roll < 0.8 and self.attachments:
            attachment = rng.choice(self.attachments)
            name = attachment.rsplit("/", 1)[-1]
            if name.endswith((".png", ".jpg")):
                size = rng.choice(("", "|300", "|640x480"))
                return f"![[{name}{size}]]"
            if name.endswith(".pdf"):
                return f"![[{name}#page={rng.randint(1, 9)}]]"
            return f"[[{name}]]"
        if roll < 0.9:
            destination = quote(target.path, safe="/")
            fragment = ""
            if target.headings and rng.random() < 0.4:
                fragment = "#" + quote(linkable(rng.choice(target.headings)[1]), safe="")
            return f"[{rng.choice(WORDS)}]({destination}{fragment})"
        relative = _relative_path(source.folder, target.path)
        return f"[{rng.choice(WORDS)}]({quote(relative, safe='/.')})"

    def _nested(self, target: PlannedNote) -> str | None:
        """``A#B`` for a heading B inside A's section, when the note has one."""
        headings = target.headings
        for index, (level, text) in enumerate(headings):
            for later_level, later in headings[index + 1 :]:
                if later_level <= level:
                    break
                return f"{linkable(text)}#{linkable(later)}"
        return None

    def _broken_link(self, number: int, in_table: bool) -> tuple[str, str]:
        """A link Obsidian cannot resolve, and its kind (never split across lines in a
        table, where a line break would end the row)."""
        rng = self.rng
        kind = rng.choice([kind for kind in BROKEN_KINDS if not (in_table and kind == "split")])
        target = rng.choice([note for note in self.notes if note is not self.notes[1]])
        if kind == "no-note":
            return kind, f"[[Missing {rng.choice(WORDS)} {number}]]"
        if kind == "near-name":
            return kind, f"[[{target.name}x]]"
        if kind == "no-heading":
            return kind, f"[[{target.path[:-3]}#No such heading {number}]]"
        if kind == "wrong-nesting":
            nested = self._nested(target)
            if nested is None:
                return "no-heading", f"[[{target.path[:-3]}#Nowhere {number}]]"
            parent, child = nested.split("#")
            return kind, f"[[{target.path[:-3]}#{child}#{parent}]]"
        if kind == "no-block":
            return kind, f"[[{target.path[:-3]}#^gone-{number}]]"
        if kind == "no-attachment":
            return kind, f"![[missing {number}.png]]"
        if kind == "alias":
            with_alias = [note for note in self.notes if note.aliases]
            if with_alias:
                return kind, f"[[{rng.choice(with_alias).aliases[0]}]]"
            return "no-note", f"[[Missing alias {number}]]"
        if kind == "split":
            return kind, f"[[split {number}\nlink]]"
        if kind == "url":
            return kind, f"[[https://example.com/{number}]]"
        if kind == "outside":
            return kind, "[[../../../outside/secret]]"
        if kind == "md-no-note":
            return kind, f"[gone](Gone%20{number}.md)"
        return kind, f"[[Nowhere/{target.name}]]"

    # writing
    def write_note(self, note: PlannedNote, index: int) -> str:
        rng = self.rng
        writer = _Writer()
        properties = rng.random() < 0.4
        if properties or note.aliases:
            writer.add("---")
            writer.add(f"title: {note.name}")
            if note.aliases:
                writer.add(f"aliases: [{note.aliases[0]}]")
            if properties:
                line = f'related: "[[{self._spell(note, rng.choice(self.notes))}]]"'
                if rng.random() < 0.1:
                    bad = f"[[Missing property {index}]]"
                    line = f'related: "{bad}"'
                    self._record(note, writer.position_of(line, bad), "no-note")
                writer.add(line)
                self.links_written += 1
            writer.add("---")
        headings = list(note.headings)
        ids = list(note.block_ids)
        for level, text in headings:
            writer.add(f"{'#' * level} {text}")
            writer.add("")
            for _paragraph in range(rng.randint(1, 2)):
                self._paragraph(note, writer, index, ids)
            self._trap(writer)
        while ids:
            writer.add(f"A closing thought. ^{ids.pop()}")
            writer.add("")
        return "\n".join(writer.lines) + "\n"

    def _record(self, note: PlannedNote, where: tuple[int, int], kind: str) -> None:
        self.broken.add((note.path, where[0], where[1], BROKEN_RULE[kind]))

    def _paragraph(self, note: PlannedNote, writer: _Writer, index: int, ids: list[str]) -> None:
        rng = self.rng
        shape = rng.random()
        pieces: list[tuple[str, str | None]] = []
        for _ in range(rng.randint(1, 3)):
            if rng.random() < 0.08:
                kind, link = self._broken_link(index * 100 + len(writer.lines), shape < 0.15)
                pieces.append((link, kind))
            else:
                pieces.append((self._valid_link(note), None))
            self.links_written += 1
        if shape < 0.15:
            # A table: the alias pipe of a wikilink is escaped.
            writer.add("| Topic | Link |")
            writer.add("| ----- | ---- |")
            for link, kind in pieces:
                cell = link.replace("|", "\\|") if link.startswith(("[[", "![[")) else link
                line = f"| {rng.choice(WORDS)} | {cell} |"
                if kind:
                    self._record(note, writer.position_of(line, cell), kind)
                writer.add(line)
            if ids and rng.random() < 0.5:
                writer.add("")
                writer.add(f"^{ids.pop()}")
            writer.add("")
            return
        prefix = ""
        if shape < 0.3:
            prefix = "- "
        elif shape < 0.4:
            prefix = "> "
        text = prefix + f"{rng.choice(WORDS).title()} {rng.choice(WORDS)}"
        starts = []
        for link, _kind in pieces:
            text += " see "
            starts.append(len(text))
            text += f"{link} and {rng.choice(WORDS)}"
        text += "."
        block = ""
        if ids and rng.random() < 0.5 and prefix != "> ":
            block = f" ^{ids.pop()}"
        text += block
        line_number = len(writer.lines)
        for line in text.split("\n"):
            writer.add(line)
        for (_link, kind), offset in zip(pieces, starts, strict=True):
            if kind:
                line = line_number + text.count("\n", 0, offset) + 1
                column = offset - (text.rfind("\n", 0, offset) + 1) + 1
                self._record(note, (line, column), kind)
        if prefix == "> " and ids and rng.random() < 0.5:
            writer.add("")
            writer.add(f"^{ids.pop()}")
        writer.add("")

    def _trap(self, writer: _Writer) -> None:
        """Link-like text Obsidian does not read as a link."""
        rng = self.rng
        ghost = f"[[Ghost {rng.choice(WORDS)}]]"
        trap = rng.randrange(7)
        if trap == 0:
            writer.add(f"Inline code `{ghost}` stays text.")
        elif trap == 1:
            writer.add("```markdown")
            writer.add(f"{ghost} and ![[ghost.png]]")
            writer.add("```")
        elif trap == 2:
            writer.add(f"A comment %% {ghost} %% in a sentence.")
        elif trap == 3:
            writer.add("%%")
            writer.add(ghost)
            writer.add("%%")
        elif trap == 4:
            writer.add(f"Math $x = {ghost}$ inline.")
        elif trap == 5:
            writer.add(f"<!-- {ghost} -->")
        else:
            writer.add(f"An escaped \\{ghost} bracket.")
        writer.add("")

    def build(self) -> GeneratedVault:
        self.plan()
        files: dict[str, str | bytes] = {}
        for index, note in enumerate(self.notes):
            files[note.path] = self.write_note(note, index)
        for attachment in self.attachments:
            files[attachment] = b"\x89PNG fake bytes"
        return GeneratedVault(files, self.broken, self.links_written)


def _relative_path(folder: str, path: str) -> str:
    """``path`` relative to ``folder`` (``../Other/Note.md``), with ``./`` when below it."""
    source = folder.split("/") if folder else []
    target = path.split("/")
    common = 0
    while common < min(len(source), len(target) - 1) and source[common] == target[common]:
        common += 1
    ups = [".."] * (len(source) - common)
    rest = target[common:]
    return "/".join(ups + rest) if ups else "./" + "/".join(rest)


def generate(seed: int = 7, count: int = 300) -> GeneratedVault:
    """The generated vault of ``count`` notes (plus a same-name twin and attachments)."""
    return VaultGenerator(seed, count).build()
