"""Personal information beyond Australia: recall per entity and precision on a seeded corpus.

    PYTHONPATH=src .venv/bin/python bench/pii_international.py --posts 3000 --seed 1 [--enron]

The corpus (phone numbers of some sixty regions in national and international forms, cards of
many issuers, lengths and groupings, IBANs of thirty-odd countries, US SSNs, UK NI numbers, IP
addresses, street addresses written name-first, French-style and US/UK-style, and decoys) comes
from :mod:`commsguard.benchmark.pii_international`. ``--enron`` also counts the PII findings on
the training split of the shared Enron mail (never the held-out 25 %).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter

from commsguard.benchmark.pii_international import ENTITIES, FLOORS, generate_world, score_world
from commsguard.engine import Engine
from commsguard.policy import load_pack


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="pii_international.py", description=(__doc__ or "").split("\n")[0]
    )
    parser.add_argument("--posts", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--misses", type=int, default=0, help="show up to N misses per entity")
    parser.add_argument("--enron", action="store_true", help="count findings on Enron (train)")
    args = parser.parse_args(argv)

    pack = load_pack()
    engine = Engine(pack, only_rules=[r.id for r in pack.rules if r.detector == "pii"]).warm()
    posts = generate_world(args.posts, seed=args.seed)
    began = time.perf_counter()
    scores = score_world(posts, engine)
    took = time.perf_counter() - began

    print(f"{args.posts} posts, seed {args.seed}, {took:.2f}s")
    print(f"{'entity':<16}{'planted':>8}{'found':>7}{'recall':>8}{'floor':>7}")
    failed = False
    for entity in ENTITIES:
        recall, floor = scores.recall(entity), FLOORS.get(entity)
        failed |= floor is not None and recall < floor
        print(f"{entity:<16}{scores.planted.get(entity, 0):>8}{scores.found.get(entity, 0):>7}"
              f"{recall:>8.3f}{'' if floor is None else f'{floor:.2f}':>7}")
    failed |= scores.precision < FLOORS["precision"]
    print(f"{'precision':<16}{scores.true_findings + scores.false_findings:>8}"
          f"{scores.true_findings:>7}{scores.precision:>8.3f}{FLOORS['precision']:>7.2f}")
    print(f"decoys hit: {scores.decoy_hits} of {scores.decoys}")
    for entity in ENTITIES:
        for miss in scores.misses.get(entity, [])[: args.misses]:
            print(f"  missed {entity}: {miss}")
    for alarm in scores.false_alarms[: args.misses]:
        print(f"  false alarm: {alarm}")
    if args.enron:
        from commsguard.external import available, read_set

        if not available():
            print("enron: the shared corpus is not available")
        else:
            items = read_set("enron", split="train")
            results = engine.check_many([i.message for i in items])
            found = Counter(str(f.entity) for r in results for f in r.findings)
            flagged = sum(1 for r in results if r.findings)
            print(f"enron (train split, {len(items)} mails): {flagged} with PII findings, "
                  f"{sum(found.values())} findings {dict(sorted(found.items()))}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
