"""The personal-information benchmark as a script: the same as ``commsguard bench``.

    .venv/bin/python bench/pii_bench.py --posts 10000 --seed 1 --repeat 3

The corpus generator, the runners and the report live in :mod:`commsguard.benchmark` (so the
command and the tests can import them); Presidio is a bench-only extra:
``pip install -e '.[bench]'``.
"""

from __future__ import annotations

import sys

from commsguard.cli.bench import bench_app

if __name__ == "__main__":
    sys.exit(bench_app(prog_name="pii_bench.py"))
