"""Errors a user can cause, as one family.

    BerekraftError            anything berekraft reports to a user (never a bug)
    ├── InputError            a file or argument is wrong; carries every Problem found
    ├── NotFoundError         a code (place, indicator, batch …) that does not exist
    ├── ForbiddenError        the user's role does not allow this (e.g. another member's data)
    └── ConflictError         the data changed since the user read it (a stale edit, an undo over
        │                     later changes); nothing was written
        └── ConfirmationNeeded  allowed, but only when asked again with an explicit confirmation
                              (an undo that unpublishes values); nothing was written

Everything else that escapes is a bug: it is logged and answered with a 500 / exit status 1.
The CLI prints a BerekraftError's problems and exits with status 2.
"""

from __future__ import annotations

from collections.abc import Sequence

from berekraft.core.problems import Problem


class BerekraftError(Exception):
    """Base of every error a user can cause."""


class InputError(BerekraftError):
    """A file or argument is wrong. Holds every problem, not only the first."""

    def __init__(self, problems: Sequence[Problem], summary: str = "the input has problems") -> None:
        self.problems = list(problems)
        self.summary = summary  # kept so that the error can be rebuilt from plain data
        super().__init__(f"{summary}: {len(self.problems)} problem(s)" if self.problems else summary)


class NotFoundError(BerekraftError):
    """A code that was asked for does not exist."""


class ForbiddenError(BerekraftError):
    """The user's role does not allow this."""


class ConflictError(BerekraftError):
    """The data changed since it was read; nothing was written."""


class ConfirmationNeeded(ConflictError):
    """Allowed, but only with an explicit confirmation; nothing was written. The message says why."""
