"""The ``wenzhi`` console script: runs every Django management command.

``wenzhi migrate``, ``wenzhi demo``, ``wenzhi import_registry ...``, ``wenzhi nlp ...`` all go through here.
"""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenzhi.config.settings.local")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
