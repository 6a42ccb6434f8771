"""Write the benchmark's seeded corpus as JSONL, planted entities and decoys included.

    .venv/bin/python bench/corpus.py --posts 10000 --seed 1 > corpus.jsonl

Each line has ``id, channel, author, capacity, profile, text`` (so it can be fed to
``commsguard check --format jsonl``) and ``planted`` / ``decoys``: ``{kind, start, end, text}``.
"""

from __future__ import annotations

import argparse
import json
import sys

from commsguard.benchmark.generate import iter_posts


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--posts", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    for post in iter_posts(args.posts, args.seed):
        sys.stdout.write(json.dumps(post.to_dict(), ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
