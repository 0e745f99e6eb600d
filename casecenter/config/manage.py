"""The ``casecenter`` command: the project's manage.py, installed as a console script."""

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casecenter.config.settings")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv if argv is not None else sys.argv)
    except ImproperlyConfigured as exc:
        # An unsafe or unreadable configuration is the operator's to fix: say what, not a traceback.
        sys.stderr.write(f"casecenter: configuration error: {exc}\n")
        raise SystemExit(2) from None


if __name__ == "__main__":
    main()
