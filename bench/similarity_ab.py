"""`score_many` of two versions of the names scorer in one process, on the same pairs.

    git show 5afb4da:src/pompolit/names/similarity.py > /tmp/old_similarity.py
    .venv/bin/python bench/similarity_ab.py --before /tmp/old_similarity.py [--n N] [--pairs P]

Each version keeps its own caches (prepared words, word pairs); both share the key functions'
caches, which `prepare` fills before anything is timed. Two sets of random pairs of the
names bench's synthetic names: never seen (each version scores set A, then set B in the other
order), then set A again (every word pair cached); then a mixed set of unusual names (other
spellings and schemes, national letters, initials, short forms, double and missing parts,
parts swapped), half of its pairs two forms of one name. Prints CPU and wall rates, and checks
that both versions give the same scores on every set.
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

from pompolit.names import Name  # noqa: E402
from pompolit.names.diminutives import GIVEN_NAMES  # noqa: E402
from pompolit.names.translit import SCHEMES  # noqa: E402

# One name in other languages and spellings (the names tests' families).
FAMILIES = [
    family.split()
    for family in (
        "Беляцкий Бяляцкі Bialiatski Byalyatski Białacki Bjaljacki",
        "Колесникова Калеснікава Kalesnikava Kaliesnikava",
        "Шевцов Шаўцоў Shevtsov",
        "Лукашенко Łukaszenka Лукашэнка Lukashenko",
        "Щаранский Sharansky Sharanskiy Szaranski",
        "Дзержинский Dzierżyński Dzierzynski Dzerzhinsky",
        "Солженицын Solzenicyn Solschenizyn Soljenitsyne",
        "Азеф Asew Azeff Azef",
        "Кузнецов Кузняцоў Kuzniecow Kuznetsov Kusnezow",
        "Ковалёв Kavalou Kowalow Kovalev Kowaljow",
        "Иванов Іваноў Ivanou Iwanow Ivanoff",
        "Тихановская Ціханоўская Tsikhanouskaya Cichanoŭskaja",
        "Геннадьевич Геннадійович Hennadiiovych Hennadijovyč Генадзевіч",
        "Павлюк Паўлюк Paŭliuk Pavliuk",
    )
]
OTHER_FORMS = {word: family for family in FAMILIES for word in family}


def mixed_names(names: list[Name], rng: random.Random) -> list[tuple[Name, Name]]:
    """Pairs of unusual names: half two forms of one name, half any two."""

    def variant(name: Name) -> Name:
        surname, given, patronymic = name.surname, name.given, name.patronymic
        match rng.randrange(11):
            case 0:
                scheme = SCHEMES[rng.choice(sorted(SCHEMES))]
                return Name(scheme(surname), scheme(given), scheme(patronymic))
            case 1:
                return Name(surname, given[:1] + ".", patronymic[:1] + rng.choice([".", ""]))
            case 2:
                forms = GIVEN_NAMES.get(given) or GIVEN_NAMES[rng.choice(sorted(GIVEN_NAMES))]
                return Name(surname, rng.choice(forms), patronymic)
            case 3:
                return Name(surname + "-" + rng.choice(names).surname, given, patronymic)
            case 4:
                shorter = [Name(surname, given), Name(surname), Name("", given, patronymic)]
                return rng.choice(shorter)
            case 5:
                return Name(given, surname, patronymic)
            case 6:
                other = rng.choice(OTHER_FORMS.get(surname) or [surname])
                return Name(other, given, rng.choice(OTHER_FORMS.get(patronymic) or [patronymic]))
            case 7:
                return Name(surname, given + " " + rng.choice(names).given, patronymic)
            case 8:  # the other gender's form of the surname, roughly
                other = surname[:-1] if surname.endswith("а") else surname + "а"
                return Name(other, given, patronymic)
            case _:
                return name

    pairs = []
    for i in range(20_000):
        name = rng.choice(names)
        if rng.random() < 0.3:
            family = rng.choice(FAMILIES)
            name = Name(family[0], name.given, rng.choice([name.patronymic, "Геннадьевич"]))
        other = name if i % 2 else rng.choice(names)
        pairs.append((variant(name), variant(other)))
    return pairs


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
    sets.append(mixed_names(names, rng))
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
    assert run("after", sets[2], "mixed set") == run("before", sets[2], "mixed set")
    print("the same scores on every set")


if __name__ == "__main__":
    main()
