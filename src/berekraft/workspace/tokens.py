"""/workspace/tokens/: the user's personal API tokens — make one (named, with an expiry), see it
once, revoke it. The secret is shown on the answer to the POST that made it and never again."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from berekraft.accounts.tokens import MAX_DAYS, token_create, token_revoke, tokens_of
from berekraft.errors import InputError, NotFoundError


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Name"),
        max_length=100,
        help_text=gettext_lazy("What the token is for, e.g. a script"),
    )
    days = forms.IntegerField(
        label=gettext_lazy("Valid for (days)"), min_value=1, max_value=MAX_DAYS, initial=90
    )


def _user(request: HttpRequest) -> User:
    assert isinstance(request.user, User)  # guaranteed by @login_required
    return request.user


@login_required
def tokens(request: HttpRequest) -> HttpResponse:
    user = _user(request)
    form = TokenForm(request.POST or None)
    secret = ""
    if request.method == "POST" and form.is_valid():
        try:
            _token, secret = token_create(
                user=user, name=form.cleaned_data["name"], days=form.cleaned_data["days"]
            )
        except InputError as exc:
            for problem in exc.problems:
                messages.error(request, problem.text(_))
        else:
            form = TokenForm()
    return render(
        request, "workspace/tokens.html", {"form": form, "secret": secret, "tokens": tokens_of(user=user)}
    )


@login_required
@require_POST
def revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = token_revoke(user=_user(request), token_id=token_id)
    except NotFoundError as exc:
        raise Http404("no such token") from exc
    messages.success(request, _("Token %(name)s revoked.") % {"name": token.name})
    return redirect("workspace:tokens")
