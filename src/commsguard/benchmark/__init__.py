"""The benchmark behind ``commsguard bench``: a seeded corpus with planted entities, and runners.

Benchmark code only: nothing in the runtime package imports it. Presidio is a bench-only extra
(``pip install -e '.[bench]'``), imported lazily by :mod:`.presidio_runner`.
"""
