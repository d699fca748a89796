"""python -m service.bench: see service/bench/run.py."""

import sys

from service.bench.run import main

sys.exit(main())
