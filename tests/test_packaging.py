"""Every template, static file, translation and data file ships in the package (``pip install .``
must give a working site, not only an editable checkout)."""

from __future__ import annotations

import fnmatch
import subprocess
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_non_python_file_of_the_package_is_declared_as_package_data() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    patterns = config["tool"]["setuptools"]["package-data"]["berekraft"]
    # setuptools' "**/" may match no folder at all; fnmatch's "*" also crosses "/".
    variants = {p for pattern in patterns for p in (pattern, pattern.replace("**/", ""))}
    tracked = subprocess.run(
        ["git", "ls-files", "src/berekraft"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    missing = [
        name
        for name in (Path(t).relative_to("src/berekraft").as_posix() for t in tracked)
        if not name.endswith(".py") and not any(fnmatch.fnmatch(name, v) for v in variants)
    ]
    assert not missing, f"not in [tool.setuptools.package-data]: {missing[:10]}"
