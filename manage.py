#!/usr/bin/env python
"""Django's command-line utility for Transversal."""

import os
import sys
from pathlib import Path


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "transversal.settings")
    from transversal.core.env import load_local_env

    # DATA_DIR/local.env (written by `make demo`) fills in what the environment does not say,
    # so the documented commands work on a developer's machine. Never read by the web server.
    load_local_env(os.environ, default_data_dir=Path(__file__).resolve().parent / "data")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()
