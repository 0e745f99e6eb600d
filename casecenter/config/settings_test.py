"""Settings for the test suite: development mode, everything else from the environment."""

import os
import tempfile

os.environ.setdefault("CASECENTER_DEBUG", "1")
os.environ.setdefault("CASECENTER_VAR_DIR", os.path.join(tempfile.gettempdir(), "casecenter-test-var"))

from .settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # speed only; never in production
DEBUG = False
# TASKS stays the database backend of settings.py (not the immediate one): tests enqueue real rows
# and run them with the worker loop, as production does.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    # A file, as in production, not Django's shared in-memory database: there a second writer fails
    # at once with "database table is locked" instead of queueing on the busy timeout, so tests of
    # concurrent writers could not run. One file per process (parallel runs do not share it).
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}  # noqa: F405
