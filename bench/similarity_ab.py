"""`score_many` of two versions of the names scorer in one process, on the same pairs.

    git show 5afb4da:src/pompolit/names/similarity.py > /tmp/old_similarity.py
    .venv/bin/python bench/similarity_ab.py --before /tmp/old_similarity.py [--n N] [--pairs P]

Each version keeps its own caches (prepared words, word pairs); both share the key functions'
caches, which `prepare` fills before anything is timed. Two sets of random pairs of the
names bench's synthetic names: never seen (each version scores set A, then set B in the other
order), then set A again (every word pair cached). Prints CPU and wall rates, and checks that
both versions give the same scores.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import importlib.util
import random
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from names_bench import SEED, synthetic_names  # noqa: E402


def load(path: str) -> Any:
    spec = importlib.util.spec_from_file_location("before_similarity", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", required=True, help="the other similarity.py")
    parser.add_argument("--n", type=int, default=30_000)
    parser.add_argument("--pairs", type=int, default=20_000)
    args = parser.parse_args()
    after = importlib.import_module("pompolit.names.similarity")
    before = load(args.before)
    names = synthetic_names(args.n)
    rng = random.Random(SEED + 1)
    sets = [[(rng.choice(names), rng.choice(names)) for _ in range(args.pairs)] for _ in range(2)]
    needed = {name for chosen in sets for pair in chosen for name in pair}
    prepared = {
        "after": (after, {name: after.prepare(name) for name in needed}),
        "before": (before, {name: before.prepare(name) for name in needed}),
    }
    gc.freeze()

    def run(version: str, chosen: list[Any], label: str) -> list[float]:
        module, table = prepared[version]
        pairs = [(table[a], table[b]) for a, b in chosen]
        cpu, wall = time.process_time(), time.perf_counter()
        scores: list[float] = module.score_many(pairs)
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        rates = f"{len(pairs) / cpu:,.0f}/s CPU, {len(pairs) / wall:,.0f}/s wall"
        print(f"{version:6} {label}: {rates}", flush=True)
        return scores

    assert run("after", sets[0], "never seen, set A") == run("before", sets[0], "never seen, set A")
    assert run("before", sets[1], "never seen, set B") == run("after", sets[1], "never seen, set B")
    run("after", sets[0], "set A again (cached)")
    run("before", sets[0], "set A again (cached)")


if __name__ == "__main__":
    main()
