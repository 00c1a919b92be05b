"""Generate a deterministic vault in the style of a real video-notes vault.

Notes look like those of a vault generated from YouTube videos: frontmatter with
``title`` and ``videoId``, a ``From: [[channel]]`` line, sections of prose citing
the video with ``<a class="yt-timestamp" data-t=...>`` anchors (and some bare
``[HH:MM:SS]``), ``[[target | alias]]`` links with spaced pipes (about 30% of
them to notes that do not exist), headings that other notes link to, the odd
code block holding link-like text, inline math, and a few timestamps out of order.

    python bench/generate_vault.py --notes 20000 --out /tmp/vault-20k

The same ``--notes`` and ``--seed`` always give byte-identical files.
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path

WORDS = (
    "attention anxiety balance belief boundary brain calculus change choice circle clarity "
    "code communication complexity confidence conflict curve decision desire dimension "
    "discipline dopamine emotion energy entropy evolution failure fear field focus fractal "
    "freedom friendship function geometry gradient growth habit identity impulse intuition "
    "lattice learning limit loneliness matrix meaning memory mind motivation network neuron "
    "pattern perception prime probability purpose reward rhythm risk routine sequence signal "
    "sleep space stress symmetry system tension theory trauma trust uncertainty value vector "
    "wave willpower wisdom"
).split()
VERBS = (
    "explains shows suggests argues notes describes compares questions frames reveals"
).split()
FILLER = (
    "which makes the idea easier to hold in mind",
    "and this matters more than it first appears",
    "especially when the stakes are personal",
    "a point the speaker returns to several times",
    "using a simple example from everyday life",
    "which connects to earlier material in the series",
)
ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"


def _name(rng: random.Random) -> str:
    return "_".join(rng.sample(WORDS, rng.randint(2, 5)))


def _clock(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"


class VaultWriter:
    """Builds notes for one vault; ``names`` are the notes that exist, per channel folder."""

    def __init__(self, notes: int, seed: int) -> None:
        self.rng = random.Random(seed)
        channel_count = max(1, min(85, notes // 250))
        self.channels = [f"channel{index:02d}_{self.rng.choice(WORDS)}" for index in range(channel_count)]
        self.names: list[tuple[str, str]] = []
        seen: set[str] = set()
        while len(self.names) < notes:
            name = _name(self.rng)
            if name not in seen:
                seen.add(name)
                self.names.append((self.rng.choice(self.channels), name))
        self.headings = {name: self._headings() for _channel, name in self.names}

    def _headings(self) -> list[str]:
        return [
            " ".join(self.rng.sample(WORDS, self.rng.randint(2, 4))).capitalize()
            for _ in range(self.rng.randint(4, 8))
        ]

    def _link(self) -> str:
        rng = self.rng
        target = _name(rng) + "_missing" if rng.random() < 0.3 else rng.choice(self.names)[1]
        alias = target.replace("_", " ")
        style = rng.random()
        if style < 0.75:
            return f"[[{target} | {alias}]]"
        if style < 0.85:
            return f"[[{target}|{alias}]]"
        if style < 0.95 and target in self.headings:
            return f"[[{target}#{rng.choice(self.headings[target])}|{alias}]]"
        return f"[[{target}]]"

    def _sentence(self, clock: int, links: int) -> str:
        rng = self.rng
        words = " ".join(rng.choices(WORDS, k=rng.randint(6, 14)))
        link = f" {self._link()}" if links else ""
        citation = (
            f'<a class="yt-timestamp" data-t="{_clock(clock)}">[{_clock(clock)}]</a>'
            if rng.random() < 0.93
            else f"[{_clock(clock)}]"
        )
        return (
            f"The speaker {rng.choice(VERBS)} how {words}{link}, {rng.choice(FILLER)} {citation}."
        )

    def note(self, index: int) -> tuple[str, str]:
        rng = self.rng
        channel, name = self.names[index]
        video_id = "".join(rng.choices(ID_CHARS, k=11))
        parts = [
            f"---\ntitle: {name.replace('_', ' ').capitalize()}\nvideoId: {video_id}\n---\n",
            f"From: [[{channel}]] <br/> \n",
        ]
        clock = rng.randint(1, 30)
        links_left = rng.randint(7, 12)
        sections = [None, *self.headings[name]]
        code_section = rng.randrange(len(sections)) if rng.random() < 0.08 else -1
        math_section = rng.randrange(len(sections)) if rng.random() < 0.03 else -1
        for number, heading in enumerate(sections):
            if heading:
                parts.append(f"## {heading}\n")
            for _paragraph in range(rng.randint(1, 2)):
                sentences = []
                for _ in range(rng.randint(2, 4)):
                    clock += rng.randint(3, 40)
                    shown = clock - rng.randint(60, 400) if rng.random() < 0.03 else clock
                    with_link = links_left > 0 and rng.random() < 0.45
                    links_left -= with_link
                    sentences.append(self._sentence(max(shown, 0), with_link))
                parts.append(" ".join(sentences) + "\n")
            if number == code_section:
                parts.append("```text\nexample [[not_a_link | in code]] [00:00:01]\n```\n")
            if number == math_section:
                parts.append("The ratio $\\frac{a}{b}$ stays the same as $[[x]]$ grows.\n")
        return f"{channel}/{name}.md", "\n".join(parts)


def generate(notes: int, out: Path, seed: int = 1) -> Path:
    """Write ``notes`` notes (and one index note per channel) below ``out``."""
    writer = VaultWriter(notes, seed)
    (out / ".obsidian").mkdir(parents=True, exist_ok=True)
    for channel in writer.channels:
        (out / channel).mkdir(exist_ok=True)
        (out / channel / f"{channel}.md").write_text(f"---\ntitle: {channel}\n---\n", encoding="utf-8")
    for index in range(notes):
        rel, text = writer.note(index)
        (out / rel).write_text(text, encoding="utf-8")
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--notes", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    generate(args.notes, args.out, args.seed)


if __name__ == "__main__":
    main()
