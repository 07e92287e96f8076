"""README tells the truth about the commands and settings (Datasette's habit)."""

from __future__ import annotations

import re
from pathlib import Path

from berekraft.cli import DJANGO_COMMANDS, PURE_COMMANDS

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_cli_command_is_documented_in_readme() -> None:
    for command in {**DJANGO_COMMANDS, **PURE_COMMANDS}:
        assert f"`berekraft {command}" in README, command


def test_every_setting_read_from_the_environment_is_documented() -> None:
    settings = (ROOT / "src" / "berekraft" / "settings.py").read_text(encoding="utf-8")
    names = set(re.findall(r'"(BEREKRAFT_[A-Z_]+)"', settings))
    assert names, "settings read no BEREKRAFT_ variables?"
    for name in names:
        assert f"`{name}`" in README, name


def test_readme_gives_the_two_setup_commands() -> None:
    assert "make demo" in README and "make test" in README
