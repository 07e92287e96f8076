"""Putting a service's problems back where the editor typed them: a problem names its field
(``kpis-0-series``, ``new.org_number``), and each goes to that field of the form or form set;
the ones with no field left are shown above the form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.forms import BaseFormSet

from berekraft.core.problems import Problem


def place_problems(
    problems: list[Problem],
    form: forms.Form,
    sets: dict[str, BaseFormSet] | None = None,  # type: ignore[type-arg]
    indices: dict[str, list[int]] | None = None,
    *,
    translate: Any = str,
    prefix_map: dict[str, forms.Form] | None = None,
) -> list[Problem]:
    """Put each problem at its field; return those that have no field to go to."""
    left = []
    for problem in problems:
        text = problem.text(translate)
        column = problem.column
        target: forms.Form | None = None
        name = column
        if sets and indices and "-" in column:
            prefix, index, name = column.split("-", 2)
            positions = indices.get(prefix, [])
            if prefix in sets and index.isdigit() and int(index) < len(positions):
                target = sets[prefix].forms[positions[int(index)]]
        elif prefix_map and "." in column:
            prefix, name = column.split(".", 1)
            target = prefix_map.get(prefix)
        else:
            target = form
        if target is not None and name in target.fields:
            target.add_error(name, text)
        else:
            left.append(problem)
    return left
