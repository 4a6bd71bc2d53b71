"""``python -m reviewtool`` runs the command line."""

import sys

from reviewtool.cli import main

sys.exit(main())
