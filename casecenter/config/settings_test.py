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
