"""What the cycle test believes the database holds: a small model of the values it touches.

The model is written from the rules of the cycle (DESIGN.md, observations/), not from the code under
test: an import or an edit makes a draft, a submit makes drafts and returned values submitted, a
verify publishes the working value, a return sends it back, an undo restores what the import found
(refused when the data changed since). Each rule of the state machine changes the model and the
database the same way, and the invariants compare the two.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from tests.cycle.files import source_of

# value, numerator, denominator, quality, data_origin, source, note: what an import compares.
Data = tuple[float | None, float | None, float | None, str, str, str, str]
EMPTY: Data = (None, None, None, "", "", "", "")


def entered(value: float, place: str) -> Data:
    """The data an import or an edit of the test writes: the value and the member's own source."""
    return (value, None, None, "", "", source_of(place), "")


@dataclass(frozen=True)
class Cell:
    """One observation as the model sees it; ``changes`` counts changes of its data (not status)."""

    data: Data = EMPTY
    status: str = "draft"
    published: float | None = None
    exists: bool = False
    changes: int = 0

    @property
    def value(self) -> float | None:
        return self.data[0]

    def with_data(self, data: Data, **kwargs: object) -> Cell:
        return replace(self, data=data, exists=True, changes=self.changes + (data != self.data), **kwargs)  # type: ignore[arg-type]


Key = tuple[str, str, int]  # place code, series code, year


@dataclass
class Batch:
    """An import the model saw written: who, and each cell as it was before and right after."""

    pk: int
    user: str | None
    before: dict[Key, Cell]
    changes_after: dict[Key, int]
    undone: bool = False


@dataclass
class Model:
    cells: dict[Key, Cell]
    batches: list[Batch] = field(default_factory=list)
    left: set[str] = field(default_factory=set)

    def plan_import(self, rows: dict[Key, float], *, publish: bool) -> dict[Key, Cell]:
        """The cells an import of ``rows`` changes, as they will be after it."""
        planned = {}
        for key, value in rows.items():
            cell = self.cells[key]
            data = entered(value, key[0])
            if not cell.exists or cell.data != data or (publish and cell.status != "verified"):
                status = "verified" if publish else "draft"
                published = value if publish else cell.published
                planned[key] = cell.with_data(data, status=status, published=published)
        return planned

    def undo_refusal(self, batch: Batch, user: str | None, *, verifies: bool) -> str | None:
        """Why an undo of ``batch`` by ``user`` must be refused, or None.

        An editor may not undo what a verifier has since published (issue 7, finding 8): that would
        unpublish or revert published values without a verifier."""
        if batch.undone:
            return "already undone"
        if any(self.cells[k].changes != n for k, n in batch.changes_after.items()):
            return "changed since"
        if user is not None and user not in ("admin", batch.user):
            return "not the importer"
        if user is not None and not verifies and self.undo_needs_confirmation(batch):
            return "published since"
        return None

    def undo_needs_confirmation(self, batch: Batch) -> bool:
        """An undo that changes published values back needs an explicit confirmation."""
        return any(self.cells[k].published != b.published for k, b in batch.before.items())

    def undo(self, batch: Batch) -> None:
        for key, before in batch.before.items():
            now = self.cells[key]
            restored = before if before.exists else Cell(exists=True)
            self.cells[key] = replace(
                restored, exists=True, changes=now.changes + (restored.data != now.data)
            )
        batch.undone = True
