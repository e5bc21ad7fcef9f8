"""Names benchmark: search keys, similarity and prepared scoring on synthetic Russian names.

    .venv/bin/python bench/names_bench.py [--n 300000] [--pairs 100000] [--no-write]

Names are generated from a fixed seed: surnames from random syllables and the
usual suffixes (so most are words pymorphy3 has never seen), real given names
and patronymics, a tenth written in Latin letters as a passport would. The run
starts with cold caches, so the figure includes the first analysis of every
distinct word. Results go to docs/benchmarks.md under "## Names".

Each row gives wall time and the process's CPU time: on a shared machine the CPU time is what
the code costs, the wall time what a user waited.
"""

import argparse
import datetime
import gc
import os
import platform
import random
import re
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from pompolit.names import (  # noqa: E402
    Name,
    prepare,
    query_keys,
    score_many,
    search_keys,
    similarity,
)
from pompolit.names.tests.real_names import GIVEN, SURNAMES  # noqa: E402
from pompolit.names.translit import SCHEMES  # noqa: E402

DOC = ROOT / "docs" / "benchmarks.md"
SEED = 20240601
ONSETS = ["б", "в", "г", "д", "ж", "з", "к", "л", "м", "н", "п", "р", "с", "т", "х", "ц", "ч",
          "ш", "щ", "бр", "гр", "кр", "пр", "ст", "тр", "зв", "хв", "шк", "ль", "ст"]
VOWELS = ["а", "о", "у", "е", "и", "ы", "я", "ю", "ё"]
SUFFIXES = ["ов", "ев", "ин", "ский", "цкий", "енко", "ук", "ич", "ой", "ых", "ман", "ёв"]
MALE = [g for g in GIVEN if not g.endswith(("а", "я", "ь"))]
FEMALE = [g for g in GIVEN if g.endswith(("а", "я", "ь"))]
FATHERS = ["Иван", "Пётр", "Николай", "Сергей", "Андрей", "Алексей", "Михаил", "Владимир",
           "Дмитрий", "Юрий", "Олег", "Борис", "Лев", "Фёдор", "Василий"]


def patronymic(father: str, female: bool) -> str:
    stem = father.replace("ё", "е")
    if stem.endswith(("й", "ь")):
        stem = stem[:-1] + "ев"
    else:
        stem += "ов"
    return stem + ("на" if female else "ич")


def feminine(surname: str) -> str:
    for masc, fem in (("ский", "ская"), ("цкий", "цкая"), ("ой", "ая"), ("ов", "ова"),
                      ("ев", "ева"), ("ёв", "ёва"), ("ин", "ина")):
        if surname.endswith(masc):
            return surname[: -len(masc)] + fem
    return surname


def synthetic_names(n: int) -> list[Name]:
    rng = random.Random(SEED)
    invented = [
        "".join(rng.choice(ONSETS) + rng.choice(VOWELS) for _ in range(rng.randint(1, 3)))
        .capitalize() + rng.choice(SUFFIXES)
        for _ in range(40_000)
    ]
    pool = list(SURNAMES) + invented
    latin = SCHEMES["icao_doc_9303"]
    names = []
    for _ in range(n):
        female = rng.random() < 0.4
        surname = rng.choice(pool)
        if female:
            surname = feminine(surname)
        first = rng.choice(FEMALE if female else MALE)
        name = Name(surname, first, patronymic(rng.choice(FATHERS), female))
        if rng.random() < 0.1:
            name = Name(latin(name.surname), latin(name.given), latin(name.patronymic))
        names.append(name)
    return names


def oblique(name: Name) -> str:
    surname = name.surname
    if surname.endswith(("ов", "ев", "ин")):
        return surname + "а"
    if surname.endswith("ий"):
        return surname[:-2] + "ого"
    if surname.endswith("ая"):
        return surname[:-2] + "ой"
    return surname


Result = tuple[str, float, float, float]  # label, wall seconds, rate by wall, rate by CPU


def measure(label: str, count: int, work: object) -> Result:
    assert callable(work)
    started, cpu = time.perf_counter(), time.process_time()
    work()
    seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu
    print(f"{label}: {count:,} in {seconds:.2f} s = {count / seconds:,.0f}/s "
          f"(CPU {cpu_seconds:.2f} s = {count / cpu_seconds:,.0f}/s)", flush=True)
    return label, seconds, count / seconds, count / cpu_seconds


def blocked_pairs(names: list[Name], pairs: int, rng: random.Random) -> list[tuple[Name, Name]]:
    """Pairs as duplicate detection makes them: names sharing a surname key."""
    blocks: dict[str, list[Name]] = {}
    for name in names:
        for key in sorted(search_keys(Name(surname=name.surname)))[:1]:
            blocks.setdefault(key, []).append(name)
    usable = [block for block in blocks.values() if len(block) > 1]
    found: list[tuple[Name, Name]] = []
    while len(found) < pairs:
        block = rng.choice(usable)
        found.append((rng.choice(block), rng.choice(block)))
    return found


def run(n: int, pairs: int) -> list[Result]:
    names = synthetic_names(n)
    texts = [str(name) for name in names]
    distinct = len({w for text in texts for w in text.split()})
    print(f"{n:,} names, {distinct:,} distinct words", flush=True)
    results = []
    keys: list[set[str]] = []
    results.append(measure(
        f"search_keys of {n:,} names with typed parts (the registry's call), cold: "
        f"{distinct:,} distinct words analysed on first sight",
        n, lambda: keys.extend(search_keys(name) for name in names)))
    results.append(measure(f"search_keys of the same {n:,} names again, warm word caches", n,
                           lambda: [search_keys(name) for name in names]))
    results.append(measure(f"search_keys of {n:,} free-text names (parsing included)", n,
                           lambda: [search_keys(text) for text in texts]))
    queries = [oblique(name) for name in names[: n // 10]]
    results.append(measure(
        f"query_keys of {len(queries):,} surnames in oblique cases (pymorphy3)",
        len(queries), lambda: [query_keys(q) for q in queries]))
    rng = random.Random(SEED + 1)
    first = [(rng.choice(names), rng.choice(names)) for _ in range(pairs)]
    second = [(rng.choice(names), rng.choice(names)) for _ in range(pairs)]
    results.append(measure(f"similarity of {pairs:,} random pairs of names", pairs,
                           lambda: [similarity(a, b) for a, b in first]))
    results.append(measure(f"similarity of {pairs:,} other random pairs (words seen before)",
                           pairs, lambda: [similarity(a, b) for a, b in second]))
    third = [(rng.choice(names), rng.choice(names)) for _ in range(pairs)]
    fourth = [(rng.choice(names), rng.choice(names)) for _ in range(pairs)]
    blocked = blocked_pairs(names, pairs, rng)
    needed = {name for pair in third + fourth + blocked for name in pair}
    prepared: dict[Name, object] = {}
    results.append(measure(f"prepare of the {len(needed):,} names in the pairs below", len(needed),
                           lambda: prepared.update((name, prepare(name)) for name in needed)))
    gc.freeze()  # the caches are built: the collector need not walk them again

    def scored(chosen: list[tuple[Name, Name]]) -> object:
        return lambda: score_many([(prepared[a], prepared[b]) for a, b in chosen])

    results.append(measure(f"score_many of {pairs:,} new random pairs of prepared names (word "
                           "pairs mostly never scored before)", pairs, scored(third)))
    results.append(measure(f"score_many of {pairs:,} other random pairs of prepared names",
                           pairs, scored(fourth)))
    results.append(measure(f"score_many of {pairs:,} pairs sharing a surname key (duplicate "
                           "detection's blocks)", pairs, scored(blocked)))
    results.append(measure(f"score_many of the {pairs:,} random pairs again (every word pair "
                           "cached)", pairs, scored(third)))
    per_name = sum(len(k) for k in keys) / len(keys)
    coarse = sum(1 for k in keys for key in k if key.startswith("~")) / len(keys)
    print(f"keys per name: {per_name:.1f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results.append((f"Keys per name (mean): {per_name:.1f}, of which {coarse:.1f} coarse (`~`, "
                    f"for the search's fallback); peak resident memory of the whole run (caches "
                    f"included): {peak:.0f} MB", 0, 0, 0))
    return results


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}")


BEFORE = (
    "Before issue 14 (same command, 2026-11-28, `similarity` only): 2,646 pairs/s on random "
    "pairs, 6,434/s on other random pairs (words seen before); 4.1 keys per name; 560 MB."
)


def write(results: list[Result], n: int, pairs: int) -> None:
    lines = [
        "## Names",
        "",
        f"Run `.venv/bin/python bench/names_bench.py --n {n} --pairs {pairs}` to reproduce.",
        f"Machine: {machine()}. Date: {datetime.datetime.now(datetime.UTC).date().isoformat()}.",
        "Data: synthetic Russian names from a fixed seed (40,000 invented surnames plus 365 "
        "real ones, real given names and patronymics, 40% women, 10% in passport Latin); "
        "one process, caches cold at the start.",
        "",
        "| what | wall time | rate (wall) | rate (CPU time) |",
        "| --- | ---: | ---: | ---: |",
    ]
    for label, seconds, rate, cpu_rate in results:
        if rate:
            lines.append(f"| {label} | {seconds:.2f} s | {rate:,.0f}/s | {cpu_rate:,.0f}/s |")
    load = os.getloadavg()[0]
    lines += ["", *[label + "." for label, _, rate, _ in results if not rate],
              f"Load average (1 min) at the end of the run: {load:.1f}.", "", BEFORE, ""]
    section = "\n".join(lines)
    text = DOC.read_text() if DOC.exists() else "# Benchmarks\n"
    pattern = re.compile(r"^## Names\n.*?(?=^## |\Z)", re.DOTALL | re.MULTILINE)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    DOC.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=300_000)
    parser.add_argument("--pairs", type=int, default=100_000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    results = run(args.n, args.pairs)
    if not args.no_write:
        write(results, args.n, args.pairs)


if __name__ == "__main__":
    main()
