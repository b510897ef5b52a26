"""Measuring header lines before WeasyPrint lays them out, so that the national motto, the
Party's name and each agency line sit on their own line without breaking (MINUTES_LAYOUT.md).

The header is a two-column table: its columns get widths in millimetres computed here from
the real advance widths of the template's font (Liberation Serif, Times-metric), and each
line is drawn with ``white-space: nowrap``. A name too long for its column is split here
at a word boundary — before its administrative unit or a parenthesis where possible, else
into balanced lines — never by the browser wherever the column happens to end. Without the
font file the widths are estimated on the safe side.
"""

from __future__ import annotations

import functools
import unicodedata
from collections.abc import Callable
from pathlib import Path
from typing import Any

FONT_DIRS = (
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/liberation"),
)
FACES = {
    (False, False): "LiberationSerif-Regular.ttf",
    (True, False): "LiberationSerif-Bold.ttf",
    (False, True): "LiberationSerif-Italic.ttf",
    (True, True): "LiberationSerif-BoldItalic.ttf",
}
MM_PER_PT = 25.4 / 72
SAFETY = 1.04  # shaping (kerning) and rounding never make a line wider than this
FALLBACK_EM = 0.72  # a wide capital's advance, in ems, when no font file is found
# Words an agency's name is best broken before ("ỦY BAN NHÂN DÂN / TỈNH HÒA LÂM"): the
# administrative unit, or a parenthesis; a break there counts as this much narrower (mm).
UNIT_WORDS = ("tỉnh", "thành phố", "xã", "phường", "đặc khu", "huyện", "quận", "thị xã")
BREAK_BONUS_MM = 8.0
UNIT_STARTS = tuple(f"{word} " for word in UNIT_WORDS)


@functools.cache
def _advances(bold: bool, italic: bool) -> tuple[dict[int, float], float] | None:
    """Advance width of each character in ems, and the widest, or None without the font."""
    from fontTools.ttLib import TTFont

    for folder in FONT_DIRS:
        path = folder / FACES[(bold, italic)]
        if path.exists():
            font: Any = TTFont(str(path), lazy=True)
            try:
                per_em = float(font["head"].unitsPerEm)
                metrics = font["hmtx"].metrics
                widths = {
                    code: metrics[name][0] / per_em for code, name in font.getBestCmap().items()
                }
            finally:
                font.close()
            return widths, max(widths.values())
    return None


def width_mm(text: str, size_pt: float, *, bold: bool = False, italic: bool = False) -> float:
    """How wide ``text`` is drawn at ``size_pt`` in the template's font, in millimetres."""
    text = unicodedata.normalize("NFC", text)
    found = _advances(bold, italic)
    if found is None:
        ems = FALLBACK_EM * len(text)
    else:
        widths, widest = found
        ems = sum(widths.get(ord(c), widest) for c in text)
    return ems * size_pt * MM_PER_PT * SAFETY


def lines_within(
    text: str, width: float, size_pt: float, *, bold: bool = False, upper: bool = False
) -> list[str]:
    """``text`` as lines no wider than ``width`` mm: the author's own lines (a line break in
    the text) kept; a line too long broken before its administrative unit or a parenthesis
    when that is enough, else into the fewest balanced lines (``_balanced``)."""
    out: list[str] = []
    for given in text.splitlines() or [""]:
        out += _split(" ".join(given.split()), width, size_pt, bold, upper)
    return [line for line in out if line] or [""]


def _good_break(tail: str) -> bool:
    """A break before ``tail`` reads well: before a parenthesis or an administrative unit."""
    return tail.startswith("(") or f"{tail.casefold()} ".startswith(UNIT_STARTS)


def _split(line: str, width: float, size_pt: float, bold: bool, upper: bool) -> list[str]:
    def wide(part: str) -> float:
        return width_mm(part.upper() if upper else part, size_pt, bold=bold)

    words = line.split(" ")
    if wide(line) <= width or len(words) < 2:
        return [line]
    # Broken only where a reader expects it, when that is enough: "ỦY BAN NHÂN DÂN / TỈNH
    # HÒA LÂM / (DỮ LIỆU MẪU)", adjacent parts joined while they fit.
    natural: list[str] = []
    for cut in range(len(words)):
        tail = " ".join(words[cut:])
        if natural and _good_break(tail):
            natural.append(words[cut])
        elif natural:
            natural[-1] += f" {words[cut]}"
        else:
            natural.append(words[cut])
    joined: list[str] = []
    for part in natural:
        if joined and wide(f"{joined[-1]} {part}") <= width:
            joined[-1] += f" {part}"
        else:
            joined.append(part)
    if len(joined) > 1 and all(wide(part) <= width for part in joined):
        return joined
    return _balanced(words, width, wide)


def _balanced(words: list[str], width: float, wide: Callable[[str], float]) -> list[str]:
    """The fewest lines that fit, their widest as narrow as possible (a break where a
    reader expects one counts ``BREAK_BONUS_MM`` narrower); one word per line at worst."""
    n = len(words)

    def cost(i: int, j: int) -> float:
        text = " ".join(words[i:j])
        return wide(text) - (BREAK_BONUS_MM if i and _good_break(text) else 0)

    for count in range(2, n + 1):
        # best[j]: (the widest line's cost, the lines) for words[:j] in the lines so far
        best: dict[int, tuple[float, list[str]]] = {0: (0.0, [])}
        for _ in range(count):
            step: dict[int, tuple[float, list[str]]] = {}
            for i, (worst, lines) in best.items():
                for j in range(i + 1, n + 1):
                    line = " ".join(words[i:j])
                    if wide(line) > width and j > i + 1:
                        break
                    option = (max(worst, cost(i, j)), [*lines, line])
                    if j not in step or option[0] < step[j][0]:
                        step[j] = option
            best = step
        if n in best and all(wide(line) <= width for line in best[n][1]):
            return best[n][1]
    return words
