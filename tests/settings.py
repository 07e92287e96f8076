"""Test settings: the real ones, with the run's files kept out of the working tree."""

import os
import tempfile

os.environ.setdefault("BEREKRAFT_HOME", tempfile.mkdtemp(prefix="berekraft-test-"))

from berekraft.settings import *  # noqa: F403
from berekraft.settings import STORAGES

# Templates render without collectstatic having run.
STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
WHITENOISE_AUTOREFRESH = True
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast users in tests

# A test database of this run's own, so that two runs on one PostgreSQL server never collide.
DATABASES["default"]["TEST"] = {"NAME": f"test_berekraft_{os.getpid()}"}  # noqa: F405
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file (other processes, such as a worker, can open it), kept out of the working tree.
    DATABASES["default"]["TEST"]["NAME"] = os.path.join(  # noqa: F405
        os.environ["BEREKRAFT_HOME"], f"test_berekraft_{os.getpid()}.sqlite3"
    )

# Each test sees freshly rendered pages; tests/web/test_pages.py turns the page cache on to test it.
PAGE_CACHE_SECONDS = 0
SCORE_RUN_CHECK_SECONDS = 0.0

# Background tasks (score runs) run in the call, so a test sees the scores of what it just
# verified or imported. tests/db/test_score_worker.py uses the database backend and a real worker.
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
