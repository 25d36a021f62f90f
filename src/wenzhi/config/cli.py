"""The ``wenzhi`` console script: runs every Django management command.

``wenzhi migrate``, ``wenzhi demo``, ``wenzhi import_registry ...`` and ``wenzhi nlp ...`` all go through
here. ``wenzhi nlp`` needs Django only to read the registry (``nlp entities`` without ``--entities``); every
other NLP subcommand runs the pure library directly, so bulk text is not slowed by Django's start-up.
"""

import os
import sys


def _nlp_without_django(args: list[str]) -> bool:
    if not args or args[0] in ("-h", "--help"):
        return True
    return not (args[0] == "entities" and not any(a == "--entities" or a.startswith("--entities=")
                                                   for a in args))


def main() -> None:
    argv = sys.argv
    if len(argv) > 1 and argv[1] == "nlp" and _nlp_without_django(argv[2:]):
        from wenzhi.nlp.cli import main as nlp_main

        sys.exit(nlp_main(argv[2:]))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wenzhi.config.settings.local")
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        execute_from_command_line(argv)
    except ImproperlyConfigured as exc:  # a missing or wrong setting: say which, without a traceback
        sys.stderr.write(f"配置错误 configuration error: {exc}\n")
        sys.exit(2)


if __name__ == "__main__":
    main()
