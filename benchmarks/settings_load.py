"""Settings for the check-in load benchmark: the app's own, plus one change.

Benchmark accounts are hashed with MD5 so that logging in a few thousand of them
through the real login form takes seconds instead of the minutes PBKDF2's million
rounds would cost; login is setup here, not what is measured. Never use in production.
"""

from wfh.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # noqa: S303
