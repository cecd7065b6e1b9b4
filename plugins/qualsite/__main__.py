"""``python -m qualsite``: the same as the ``qualsite`` command."""

import sys

from .cli import main

sys.exit(main())
