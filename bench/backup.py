"""Benchmark: `berekraft dump` and `berekraft restore` of the demo network against Django's own
`dumpdata` and `loaddata` of the same database, in one run (ratio: theirs ÷ ours; goal ≥ 1.0×).

Builds the demo database (SQLite) in a temporary folder, then times, each in a child process as a
user would run them: dump, dumpdata, restore into a new SQLite database, loaddata into another.
Run: ``.venv/bin/python bench/backup.py``.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def run(*args: str, home: Path, program: str = "berekraft") -> float:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BEREKRAFT_")}
    env["BEREKRAFT_HOME"] = str(home)
    env["DJANGO_SETTINGS_MODULE"] = "berekraft.settings"
    start = time.perf_counter()
    subprocess.run([str(BIN / program), *args], env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="berekraft-bench-backup-"))
    source = root / "source"
    print("building the demo database …", flush=True)
    run("demo", "--no-serve", home=source)
    archive, fixture = root / "dump.zip", root / "dumpdata.json"
    ours_out = run("dump", str(archive), home=source)
    # Django's documented way to move data between databases: natural keys, without the rows
    # that migrate creates itself.
    natural = ("--natural-foreign", "--natural-primary", "-e", "contenttypes", "-e", "auth.permission")
    theirs_out = run("dumpdata", *natural, "--output", str(fixture), home=source, program="django-admin")
    ours_in = run("restore", str(archive), home=root / "restored")
    run("migrate", home=root / "loaded")
    theirs_in = run("loaddata", str(fixture), home=root / "loaded", program="django-admin")
    print(f"dump      {ours_out:6.1f} s   dumpdata {theirs_out:6.1f} s   ratio {theirs_out / ours_out:4.1f}×")
    print(f"restore   {ours_in:6.1f} s   loaddata {theirs_in:6.1f} s   ratio {theirs_in / ours_in:4.1f}×")
    print(
        f"archive   {archive.stat().st_size / 1e6:6.1f} MB  fixture  {fixture.stat().st_size / 1e6:6.1f} MB"
    )


if __name__ == "__main__":
    main()
