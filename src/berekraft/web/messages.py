"""Compile the translation catalogues (.po → .mo) with polib: pure Python, byte-for-byte the same
on every machine, so the compiled files can be committed and checked by a test."""

from __future__ import annotations

import re
from pathlib import Path

LOCALE = Path(__file__).resolve().parents[1] / "locale"
LANGUAGES = ("nb", "nn")


def catalogues() -> list[Path]:
    return [LOCALE / code / "LC_MESSAGES" / "django.po" for code in LANGUAGES]


def compiled(po_path: Path) -> bytes:
    import tempfile

    import polib

    with tempfile.TemporaryDirectory() as tmp:
        target = Path(tmp) / "django.mo"
        polib.pofile(str(po_path)).save_as_mofile(str(target))
        return target.read_bytes()


_PLACEHOLDER = re.compile(r"%(\([a-z_]+\))?[sdrf]")


def unflag_plain_percent(po_path: Path) -> None:
    """xgettext takes "under 33 % of target" for a python-format string ("% o" looks like a
    directive); such a message has no placeholder, so the flag is wrong and ``msgfmt --check``
    would reject the translation. Drop it (and the fuzzy mark it causes) where the message holds
    no real placeholder."""
    import polib

    catalogue = polib.pofile(str(po_path))
    changed = False
    for entry in catalogue:
        if _PLACEHOLDER.search(entry.msgid):
            continue
        if "python-format" in entry.flags:
            entry.flags.remove("python-format")
            changed = True
        # msgmerge marks such an entry fuzzy because its translation "fails" the wrong format check,
        # with the message itself unchanged (a real fuzzy match has a different previous msgid).
        if "fuzzy" in entry.flags and entry.msgstr and entry.previous_msgid in (None, entry.msgid):
            entry.flags.remove("fuzzy")
            entry.previous_msgid = entry.previous_msgctxt = None
            changed = True
    if changed:
        catalogue.save(str(po_path))


def main() -> None:
    for po in catalogues():
        unflag_plain_percent(po)
        po.with_suffix(".mo").write_bytes(compiled(po))
        print(f"compiled {po.relative_to(LOCALE.parent)}")


if __name__ == "__main__":
    main()
