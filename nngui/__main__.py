"""``python -m nngui``: the same as the ``nngui`` command."""

import sys

from nngui.cli import main

if __name__ == "__main__":
    sys.exit(main())
