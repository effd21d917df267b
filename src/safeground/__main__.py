"""``python -m safeground``: the same front door as the ``safeground`` command."""

import sys

from safeground.cli import main

sys.exit(main())
