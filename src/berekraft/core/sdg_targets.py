"""The 169 SDG targets with their official texts (``data/catalogue/sdg_targets.csv``).

Texts are the UN's English and the Norwegian government's and FN-sambandet's published bokmål and
nynorsk; where no complete official Norwegian text exists the cell is empty and :meth:`SdgTarget.text`
falls back to English. We never translate a target ourselves.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

CODE = re.compile(r"^(?P<goal>[1-9]|1[0-7])\.(?:[1-9][0-9]?|[a-z])$")


@dataclass(frozen=True, slots=True)
class SdgTarget:
    goal: int
    code: str
    text_en: str
    text_nb: str
    text_nn: str
    source_en: str
    source_nb: str
    source_nn: str
    order: int

    def text(self, language: str) -> str:
        """The official text in ``language``, or the English one where none was published."""
        return {"nb": self.text_nb, "nn": self.text_nn}.get(language, "") or self.text_en

    def source(self, language: str) -> str:
        return {"nb": self.source_nb, "nn": self.source_nn}.get(language, "") or self.source_en


def is_target_code(text: str) -> bool:
    """``"11.6"`` and ``"17.a"`` are target codes; ``"11"``, ``"11.6.1"`` and ``"18.1"`` are not."""
    return CODE.match(text.strip()) is not None


@cache
def load_sdg_targets() -> tuple[SdgTarget, ...]:
    """The packaged targets in official order (read once per process)."""
    text = resources.files("berekraft.data").joinpath("catalogue", "sdg_targets.csv").read_text("utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    targets = []
    for order, r in enumerate(rows):
        if not is_target_code(r["target"]) or int(r["goal"]) != int(r["target"].split(".")[0]):
            raise ValueError(f"sdg_targets.csv: row {order + 2}: bad target code {r['target']!r}")
        targets.append(
            SdgTarget(
                goal=int(r["goal"]),
                code=r["target"],
                text_en=r["text_en"],
                text_nb=r["text_nb"],
                text_nn=r["text_nn"],
                source_en=r["source_en"],
                source_nb=r["source_nb"],
                source_nn=r["source_nn"],
                order=order,
            )
        )
    return tuple(targets)
