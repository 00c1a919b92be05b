"""Allow ``python -m vaultcheck``."""

import sys

from vaultcheck.cli import main

sys.exit(main())
