"""Template years (issue 7, finding 12, template half): a year outside 1990 … this year + 5 is a
clear error in the CLI and the workspace download, never a crash (year 10^20 once was a 500)."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import Client

pytestmark = pytest.mark.django_db

TOO_FAR = date.today().year + 6
OUT_OF_RANGE = [10**20, 1989, TOO_FAR, -1]


@pytest.mark.parametrize("year", OUT_OF_RANGE)
def test_the_cli_refuses_a_year_out_of_range(tmp_path: Path, year: int) -> None:
    path = tmp_path / "t.xlsx"
    with pytest.raises(CommandError) as caught:
        call_command(
            "template", "--member", "5001", "--year", str(year), "-o", str(path), stdout=io.StringIO()
        )
    assert caught.value.returncode == 2
    assert f"year {year} is outside 1990–{date.today().year + 5}" in str(caught.value)
    assert not path.exists()


def test_the_cli_accepts_the_ends_of_the_range(tmp_path: Path) -> None:
    for year in (1990, date.today().year + 5):
        path = tmp_path / f"{year}.xlsx"
        call_command(
            "template", "--member", "5001", "--year", str(year), "-o", str(path), stdout=io.StringIO()
        )
        assert path.stat().st_size > 0


def test_a_path_year_that_is_no_year_at_all_is_not_found(people: dict[str, User]) -> None:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(people["editor_a"])
    assert client.get(f"/workspace/members/5001/{10**20}/template.xlsx").status_code == 404


@pytest.mark.parametrize("year", [1989, TOO_FAR])
def test_the_workspace_refuses_a_year_out_of_range(people: dict[str, User], year: int) -> None:
    client = Client(headers={"Accept-Language": "en"})
    client.force_login(people["editor_a"])
    response = client.get(f"/workspace/members/5001/{year}/template.xlsx")
    assert response.status_code == 400
    assert f"year {year} is outside 1990–{date.today().year + 5}" in response.content.decode()
