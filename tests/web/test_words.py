"""No English on Norwegian pages and no bokmål on nynorsk ones (issue 7, finding 27).

Every public page, the workspace pages and the upload problems are rendered in nb and nn; the
text a reader sees (text nodes, title, aria-label, placeholder) must hold none of the English
words below, and the nynorsk pages none of the bokmål-only forms. Not checked: citations of
sources (they stay in the language they were published in), series codes such as
``EC: I: T: 4A/walking`` (U4SSC's identifiers) and anything marked with another ``lang``."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

# English words that are not also Norwegian words (not "and", "by", "i", "on", "under").
ENGLISH = {
    "the", "of", "with", "value", "values", "row", "file", "member", "members", "submitted",
    "returned", "verified", "draft", "missing", "formula", "source", "year", "target", "targets",
    "network", "goal", "goals", "series", "score", "scored", "level", "name", "band", "trend",
    "upload", "choose", "field", "column",
}  # fmt: skip
# Bokmål forms that nynorsk does not have (Nynorskordboka); "eller", "mellom", "også", "mot",
# "etter", "ingen", "skal", "prosent" are good nynorsk and are left out on purpose.
BOKMAL_ONLY = {
    "ikke", "hva", "hvordan", "hvis", "hvor", "hvert", "hver", "medlemmer", "medlemmene",
    "medlemmet", "noen", "noe", "bare", "disse", "verdier", "verdiene", "fra", "uten", "mye",
    "husholdninger", "innbyggere", "kommuner", "antall", "sier", "gjelder", "ble", "deres",
    "bedre", "egen", "eget", "hele", "av de", "mange av de", "kilde", "kilder", "kontrollører",
}  # fmt: skip
SKIP_CLASSES = {"source", "source-text", "code", "code-cell", "demo"}
TEXT_ATTRIBUTES = (
    "title",
    "aria-label",
    "placeholder",
    "alt",
)  # a target's scope badge has its source as title
SKIP_TAGS = {"script", "style", "template"}
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
PUBLIC = [
    "/",
    "/?year=2020",
    "/members/5001/",
    "/members/15/",
    "/members/1103/series/en-en-aq-1c-pm2-5/",
    "/compare/?series=ec-ict-ict-1c",
    "/compare/members/?m=5001&m=1103&m=15",
    "/goals/",
    "/goals/11/",
    "/goals/12/",
    "/kpis/",
    "/kpis/ec-ict-ict-1c/",
    "/kpis/en-en-wa-1c/",
    "/embed/map/",
    "/embed/members/5001/wheel/",
    "/accounts/login/",
    "/accounts/reset/",
]
WORKSPACE = ["/workspace/", "/workspace/upload/", "/workspace/members/5001/2024/", "/workspace/imports/"]
BAD_CSV = b"place,indicator,series,year,value\n5001,EC: I: WS: 1C,,2024,410\n"  # a percentage over 100


class VisibleText(HTMLParser):
    """Collects what a reader sees or hears, skipping the parts named in the module docstring."""

    def __init__(self, language: str) -> None:
        super().__init__(convert_charrefs=True)
        self.language = language
        self.stack: list[bool] = []  # per open element: is its content skipped?
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        classes = set((a.get("class") or "").split())
        skipped = bool(self.stack and self.stack[-1])
        skipped |= tag in SKIP_TAGS or bool(SKIP_CLASSES & classes)
        skipped |= tag != "html" and a.get("lang") not in (None, self.language)
        if not skipped:
            shown = ("aria-label", "placeholder", "alt") if "scope" in classes else TEXT_ATTRIBUTES
            self.parts += [a[k] or "" for k in shown if k in a]
        if tag not in VOID:
            self.stack.append(skipped)

    def handle_endtag(self, tag: str) -> None:
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data: str) -> None:
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)


def visible_text(html: str, language: str) -> str:
    parser = VisibleText(language)
    parser.feed(html)
    return " ".join(parser.parts)


def offending(text: str, words: set[str]) -> list[str]:
    found = []
    for word in sorted(words):
        for m in re.finditer(rf"(?<![\w/.-]){re.escape(word)}(?![\w/-])", text, flags=re.IGNORECASE):
            found.append(f"{word!r} in …{text[max(0, m.start() - 40) : m.end() + 40]}…")
            break
    return found


def check(html: str, language: str, where: str) -> None:
    text = re.sub(r"\s+", " ", visible_text(html, language))
    bad = offending(text, ENGLISH)
    if language == "nn":
        bad += offending(text, BOKMAL_ONLY)
    assert bad == [], f"{where} ({language}): {bad}"


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nb", "nn"])
@pytest.mark.parametrize("path", PUBLIC)
def test_public_pages_speak_only_the_readers_norwegian(language: str, path: str) -> None:
    response = Client(headers={"Accept-Language": language}).get(path)
    assert response.status_code == 200
    check(response.content.decode(), language, path)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nb", "nn"])
def test_every_kpi_page_speaks_only_the_readers_norwegian(language: str) -> None:
    from berekraft.catalogue.models import Indicator

    client = Client(headers={"Accept-Language": language})
    slugs = [
        re.sub(r"[^a-z0-9]+", "-", c.lower()).strip("-")
        for c in Indicator.objects.values_list("code", flat=True)
    ]
    assert len(slugs) == 91
    for slug in slugs:
        response = client.get(f"/kpis/{slug}/")
        assert response.status_code == 200, slug
        check(response.content.decode(), language, f"/kpis/{slug}/")


@pytest.mark.parametrize("language", ["nb", "nn"])
def test_workspace_and_upload_problems_speak_only_the_readers_norwegian(
    people: dict[str, User], language: str
) -> None:
    client = Client(headers={"Accept-Language": language})
    client.force_login(people["editor_a"])
    for path in WORKSPACE:
        response = client.get(path)
        assert response.status_code == 200, path
        check(response.content.decode(), language, path)
    page = client.post("/workspace/upload/", {"file": SimpleUploadedFile("v.csv", BAD_CSV), "member": ""})
    html = page.content.decode()
    assert "410" in html and "problems" in html  # the problem table is there
    assert "v.csv, rad 2, verdi" in html  # was "row 2, value"
    check(html, language, "upload problems")


def test_the_checker_finds_english_and_bokmal() -> None:
    """The check itself can fail: English and bokmål in visible text are found, hidden code is not."""
    html = '<p>Verdi ikke <span title="row 6">x</span><script>var the;</script><span lang="en">the</span></p>'
    text = visible_text(html, "nn")
    assert offending(text, ENGLISH) and offending(text, BOKMAL_ONLY)
    assert "var the" not in text and "the" not in text.split()
