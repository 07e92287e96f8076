"""Benchmark: the whole network's downloads on a Norway-sized network, made on the first reader's
request against prepared by the worker after the score run (issue 9; web/network_files.py).

    .venv/bin/python bench/downloads.py [--members 100] [--years 30] [--postgres [URL]] [--lang nb]

On bench/norway.py's database (built first if missing: minutes), in this process with the
production settings (page cache on, so files are kept in BEREKRAFT_HOME/downloads): each file of
``web.network_files.FILES`` in ``--lang`` requested with none kept, as the first reader after a
score run did (wall and CPU seconds, size); then, with the files removed, the worker's task for the
latest run (``web.tasks.prepare_downloads``: the download-all zip in every language and the files
just asked for, which the requests noted as wanted), wall and CPU seconds; then each request again,
now sent from the prepared file; last, how soon a prepare gives way to a change (a value verified
2 s into the making of the zip: the state is superseded, as the worker then sees it, without
changing the database). Prints the machine's load average before and after: on a shared machine
compare CPU seconds, not wall.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import threading
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "src"))

from compare_twin import DEFAULT_POSTGRES, norway_database  # noqa: E402


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else "")
    parser.add_argument("--members", type=int, default=100, help="members (default 100)")
    parser.add_argument("--years", type=int, default=30, help="years of data (default 30)")
    parser.add_argument(
        "--postgres",
        nargs="?",
        const=os.environ.get("BEREKRAFT_DATABASE_URL") or DEFAULT_POSTGRES,
        help="on PostgreSQL (this server; bench/norway.py's database on it)",
    )
    parser.add_argument("--lang", default="nb", choices=("nb", "nn", "en"), help="the reader's language")
    return parser.parse_args()


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    args = _arguments()
    home, url = norway_database(args.members, args.years, args.postgres)
    os.environ["BEREKRAFT_HOME"] = str(home)
    os.environ["BEREKRAFT_ALLOWED_HOSTS"] = "testserver,127.0.0.1,localhost"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "berekraft.settings")
    if url:
        os.environ["BEREKRAFT_DATABASE_URL"] = url
    else:
        os.environ.pop("BEREKRAFT_DATABASE_URL", None)
    import django

    django.setup()
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client

    from berekraft.scores.models import ScoreRun
    from berekraft.scores.selectors import scores_are_current
    from berekraft.web import downloads, network_files
    from berekraft.web.tasks import prepare_downloads

    assert settings.PAGE_CACHE_SECONDS, "files are kept only with the page cache on"
    if not scores_are_current():
        raise SystemExit("the scores are not current: run bench/norway.py first")
    latest = ScoreRun.objects.order_by("-pk").values_list("pk", flat=True).first()
    assert latest is not None
    folder = Path(settings.HOME) / "downloads"
    client = Client(HTTP_ACCEPT_LANGUAGE=args.lang)
    kinds = list(network_files.FILES)
    paths = {kind: ("/" if kind.startswith("catalog.") else "/download/") + kind for kind in kinds}
    print(f"{connection.vendor}, {args.members} members × {args.years} years; load average {load()}")

    def clear(*, keep_wanted: bool) -> None:
        wanted = (folder / downloads.WANTED).read_bytes() if (folder / downloads.WANTED).exists() else None
        shutil.rmtree(folder, ignore_errors=True)
        if keep_wanted and wanted is not None:
            folder.mkdir(parents=True)
            (folder / downloads.WANTED).write_bytes(wanted)
        for cache in caches.all(initialized_only=True):
            cache.clear()

    def request(kind: str) -> tuple[float, float, int]:
        wall, cpu = time.perf_counter(), time.process_time()
        response = client.get(paths[kind])
        body = response.getvalue()
        assert response.status_code == 200, (kind, response.status_code)
        return time.perf_counter() - wall, time.process_time() - cpu, len(body)

    clear(keep_wanted=False)
    made = {}
    for kind in network_files.FILES:
        clear(keep_wanted=True)
        made[kind] = request(kind)
        wall, cpu, _size = made[kind]
        print(f"  made on the request: {kind:<32} {wall:6.1f} s ({cpu:5.1f} s CPU)", flush=True)
    clear(keep_wanted=True)
    wall, cpu = time.perf_counter(), time.process_time()
    done = prepare_downloads.call(score_run=latest)
    prepared = (time.perf_counter() - wall, time.process_time() - cpu)
    sent = {kind: request(kind) for kind in network_files.FILES}
    print(f"\nthe first reader's wait for each file ({args.lang}), before and after the worker prepares it")
    print(f"{'file':<32}{'made on request':>22}{'sent, prepared':>18}{'size':>10}")
    for kind in network_files.FILES:
        (w, c, size), (w2, _c2, _size2) = made[kind], sent[kind]
        print(f"{kind:<32}{w:>9.2f} s ({c:5.2f} CPU){w2 * 1000:>15.0f} ms{size / 1e6:>8.1f} MB")
    print(
        f"\nthe worker's prepare for run {latest}: {prepared[0]:.1f} s ({prepared[1]:.1f} s CPU), "
        f"{len(done['made'])} files: {', '.join(done['made'])}"
    )

    # A change 2 s into the prepare: the worker asks every WATCH_SECONDS while it writes.
    clear(keep_wanted=False)
    real = network_files._public_state
    changed = threading.Event()

    def state() -> Any:
        found = real()
        if changed.is_set() and found is not None:
            (run, change, read, now), at = found
            return (run, change, read, now + 1), at
        return found

    setattr(network_files, "_public_state", state)  # noqa: B010 (the worker calls it by name)
    result: list[dict[str, Any]] = []
    worker = threading.Thread(target=lambda: result.append(prepare_downloads.call(score_run=latest)))
    worker.start()
    time.sleep(2.0)
    changed.set()
    asked = time.perf_counter()
    worker.join()
    gave_way = time.perf_counter() - asked
    setattr(network_files, "_public_state", real)  # noqa: B010
    print(
        f"a change 2 s into the prepare (making the {ZIP_KIND} in {args.lang}): it gave way after "
        f"{gave_way:.2f} s (made {result[0]['made']}, superseded {result[0]['superseded']}; "
        f"the zip alone takes {made[ZIP_KIND][0]:.1f} s)"
    )
    print(f"load average {load()}")
    return 0


ZIP_KIND = "berekraft-data.zip"


if __name__ == "__main__":
    raise SystemExit(main())
