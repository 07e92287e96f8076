"""Compile the translation catalogues (.po → .mo) with polib: pure Python, byte-for-byte the same
on every machine, so the compiled files can be committed and checked by a test."""

from __future__ import annotations

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


def main() -> None:
    for po in catalogues():
        po.with_suffix(".mo").write_bytes(compiled(po))
        print(f"compiled {po.relative_to(LOCALE.parent)}")


if __name__ == "__main__":
    main()
