"""Workspace pages where a member's editors define its local indicators (the admin in /admin/ too).

Only an editor of that member or an admin; a form shows every problem at its field, and a save is
all or nothing (``catalogue.local.local_indicator_save``)."""

from __future__ import annotations

from dataclasses import asdict

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from berekraft.catalogue.local import as_input, local_indicator, local_indicator_save, local_indicators
from berekraft.core.local import LocalIndicatorInput
from berekraft.core.problems import Problem
from berekraft.errors import InputError
from berekraft.web.views.base import language
from berekraft.workspace.forms import LocalIndicatorForm
from berekraft.workspace.views import _editable, _user


@login_required
def local_list(request: HttpRequest, code: str) -> HttpResponse:
    place = _editable(request, code)
    return render(
        request, "workspace/local_list.html", {"place": place, "indicators": local_indicators(place=place)}
    )


@login_required
def local_edit(request: HttpRequest, code: str, slug: str | None = None) -> HttpResponse:
    place = _editable(request, code)
    view = local_indicator(place=place, slug=slug) if slug else None
    if slug and view is None:
        raise Http404(f"{code} has no local indicator {slug!r}")
    initial = as_input(view, language()) if view else None
    form = LocalIndicatorForm(
        request.POST or None,
        initial=asdict(initial) if initial else None,
    )
    if view is not None:
        form.fields["slug"].disabled = True
    problems: list[Problem] = []
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        given = LocalIndicatorInput(
            **{k: v for k, v in data.items() if k != "goals"}, goals=tuple(data["goals"])
        )
        try:
            saved = local_indicator_save(
                member=place, user=_user(request), given=given, indicator=view.indicator if view else None
            )
        except InputError as exc:
            problems = exc.problems
            for p in problems:
                field = p.column if p.column in form.fields else None
                form.add_error(field, " ".join(t for t in (p.text(_), p.hint_text(_)) if t))
        else:
            messages.success(request, _("Local indicator %(code)s saved.") % {"code": saved.code})
            return redirect("workspace:local_list", code=place.code)
    return render(
        request,
        "workspace/local_edit.html",
        {"place": place, "form": form, "view": view, "problems": problems},
    )
