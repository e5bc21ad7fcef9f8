"""Names benchmark: search keys and similarity on synthetic Russian names.

    .venv/bin/python bench/names_bench.py [--n 300000] [--pairs 100000] [--no-write]

Names are generated from a fixed seed: surnames from random syllables and the
usual suffixes (so most are words pymorphy3 has never seen), real given names
and patronymics, a tenth written in Latin letters as a passport would. The run
starts with cold caches, so the figure includes the first analysis of every
distinct word. Results go to docs/benchmarks.md under "## Names".
"""

import argparse
import datetime
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

from pompolit.names import Name, query_keys, search_keys, similarity  # noqa: E402
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


def measure(label: str, count: int, work: object) -> tuple[str, float, float]:
    assert callable(work)
    started = time.perf_counter()
    work()
    seconds = time.perf_counter() - started
    print(f"{label}: {count:,} in {seconds:.2f} s = {count / seconds:,.0f}/s", flush=True)
    return label, seconds, count / seconds


def run(n: int, pairs: int) -> list[tuple[str, float, float]]:
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
    per_name = sum(len(k) for k in keys) / len(keys)
    print(f"keys per name: {per_name:.1f}")
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    results.append((f"Keys per name (mean): {per_name:.1f}; peak resident memory of the whole "
                    f"run (caches included): {peak:.0f} MB", 0, 0))
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


def write(results: list[tuple[str, float, float]], n: int, pairs: int) -> None:
    lines = [
        "## Names",
        "",
        f"Run `.venv/bin/python bench/names_bench.py --n {n} --pairs {pairs}` to reproduce.",
        f"Machine: {machine()}. Date: {datetime.datetime.now(datetime.UTC).date().isoformat()}.",
        "Data: synthetic Russian names from a fixed seed (40,000 invented surnames plus 365 "
        "real ones, real given names and patronymics, 40% women, 10% in passport Latin); "
        "one process, caches cold at the start.",
        "",
        "| what | time | rate |",
        "| --- | ---: | ---: |",
    ]
    for label, seconds, rate in results:
        if rate:
            lines.append(f"| {label} | {seconds:.2f} s | {rate:,.0f}/s |")
    lines += ["", *[label + "." for label, _, rate in results if not rate], ""]
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
