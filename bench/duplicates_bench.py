"""Duplicate detection benchmark: `python bench/duplicates_bench.py --people 100000 --db sqlite`.

Generates the synthetic registry (`pompolit.cases.synthetic`) into a fresh database (SQLite in a
temporary folder; PostgreSQL: a database `--pg-name` on 127.0.0.1, dropped and made again), then
registers `--duplicates` of its people a second time, as another group or the press would:
their name in another spelling family (Belarusian Cyrillic and its official Latin, Ukrainian
Cyrillic and its national romanisation, Polish, German, English press simplifications), their
birth date the same, cut to the year or the month, or missing; sometimes the same case number
or facility. That is the known truth. Then it measures:

- the full scan (`cases.duplicates.scan.scan`): wall time, pairs from blocking, precision and
  recall at the listing line (what the review queue shows) and at the "likely" line;
- the as-you-type match (`services.possible_matches`) for each injected spelling: p50/p95;
- splink (DuckDB backend, its standard Fellegi–Sunter model: name comparisons, the date of
  birth, exact matches on the case number and the facility; u by random sampling, m by
  expectation maximisation) on the same people, primary names folded to ASCII: time,
  precision and recall at a match probability of 0.5.

`--no-splink` skips the comparison (splink and duckdb are the `bench` extra).
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

from benchdb import settle, setup  # noqa: E402

TODAY = datetime.date(2026, 11, 28)

# -- spelling families (of a Russian Cyrillic name) --------------------------------------------

VOWELS = "аеёиоуыэюяії"


def _be_cyrillic(word: str) -> str:
    """Belarusian Cyrillic, roughly: и→і, unstressed о→а (all but a first letter), щ→шч,
    -ий→-і, -ая/-ой endings, р/ч hard."""
    w = word.lower()
    w = w.replace("щ", "шч").replace("ий", "і").replace("и", "і").replace("ъ", "'")
    w = w[:1] + w[1:].replace("о", "а")
    w = w.replace("чі", "чы").replace("ші", "шы").replace("жі", "жы").replace("ці", "цы")
    w = w.replace("рі", "ры").replace("че", "ча")
    return w[:1].upper() + w[1:]


BE_LATIN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "ж": "ž",
    "з": "z",
    "і": "i",
    "й": "j",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ў": "ŭ",
    "ф": "f",
    "х": "ch",
    "ц": "c",
    "ч": "č",
    "ш": "š",
    "ы": "y",
    "ь": "",
    "э": "e",
    "'": "",
    "и": "i",
    "щ": "šč",
}
BE_IOTATED = {"е": "e", "ё": "o", "ю": "u", "я": "a"}


def _be_latin(word: str, press: bool = False) -> str:
    out, prev = [], ""
    for c in word.lower():
        if c in BE_IOTATED:
            glide = "i" if prev and prev not in VOWELS + "ьў'" else "j"
            if press and glide == "i":
                glide = "ia"[0]
            out.append(glide + BE_IOTATED[c])
        else:
            out.append(BE_LATIN.get(c, c))
        prev = c
    text = "".join(out)
    if press:  # Bialiatski: no diacritics, c→ts
        for a, b in (
            ("ž", "zh"),
            ("č", "ch"),
            ("š", "sh"),
            ("ŭ", "u"),
            ("c", "ts"),
            ("chh", "kh"),
            ("tsh", "ch"),
            ("tsch", "ch"),
        ):
            text = text.replace(a, b)
    return text[:1].upper() + text[1:]


def _uk_cyrillic(word: str) -> str:
    w = word.lower().replace("ий", "ій").replace("и", "і").replace("ы", "и")
    w = w.replace("э", "е").replace("ё", "йо").replace("ъ", "'")
    return w[:1].upper() + w[1:]


UK_LATIN = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "h",
    "ґ": "g",
    "д": "d",
    "е": "e",
    "є": "ie",
    "ж": "zh",
    "з": "z",
    "и": "y",
    "і": "i",
    "ї": "i",
    "й": "i",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "shch",
    "ь": "",
    "ю": "iu",
    "я": "ia",
    "'": "",
}


def _uk_latin(word: str) -> str:
    text = "".join(UK_LATIN.get(c, c) for c in _uk_cyrillic(word).lower())
    return text[:1].upper() + text[1:]


PL = {
    "а": "a",
    "б": "b",
    "в": "w",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "io",
    "ж": "ż",
    "з": "z",
    "и": "i",
    "й": "j",
    "к": "k",
    "л": "ł",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "ch",
    "ц": "c",
    "ч": "cz",
    "ш": "sz",
    "щ": "szcz",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "ju",
    "я": "ja",
}


def _polish(word: str) -> str:
    w = word.lower()
    out = []
    for i, c in enumerate(w):
        nxt = w[i + 1] if i + 1 < len(w) else ""
        if c == "л" and nxt in "иеьюя":
            out.append("l")
        elif c in "еюя" and i and w[i - 1] not in VOWELS + "ь":
            out.append({"е": "ie", "ю": "iu", "я": "ia"}[c])
        elif c == "и" and i and w[i - 1] in "жцш":
            out.append("y")
        else:
            out.append(PL.get(c, c))
    text = "".join(out).replace("ij", "i").replace("yj", "y")
    return text[:1].upper() + text[1:]


DE = {
    "а": "a",
    "б": "b",
    "в": "w",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "jo",
    "ж": "sh",
    "з": "s",
    "и": "i",
    "й": "j",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "ch",
    "ц": "z",
    "ч": "tsch",
    "ш": "sch",
    "щ": "schtsch",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "ju",
    "я": "ja",
}


def _german(word: str, rng: random.Random) -> str:
    w = word.lower()
    text = "".join(DE.get(c, c) for c in w).replace("ij", "i")
    if text.endswith(("ow", "ew")) and rng.random() < 0.5:
        text = text[:-1] + "ff"
    return text[:1].upper() + text[1:]


PRESS = {
    "а": "a",
    "б": "b",
    "в": "v",
    "г": "g",
    "д": "d",
    "е": "e",
    "ё": "yo",
    "ж": "zh",
    "з": "z",
    "и": "i",
    "й": "y",
    "к": "k",
    "л": "l",
    "м": "m",
    "н": "n",
    "о": "o",
    "п": "p",
    "р": "r",
    "с": "s",
    "т": "t",
    "у": "u",
    "ф": "f",
    "х": "kh",
    "ц": "ts",
    "ч": "ch",
    "ш": "sh",
    "щ": "sh",
    "ъ": "",
    "ы": "y",
    "ь": "",
    "э": "e",
    "ю": "yu",
    "я": "ya",
}


def _press(word: str) -> str:
    """Sharansky for Щаранский: dropped letters, not transliteration."""
    w = word.lower().replace("ий", "y").replace("ый", "y").replace("ьев", "yev")
    text = "".join(PRESS.get(c, c) for c in w).replace("yy", "y")
    text = text.replace("iy", "y").replace("ii", "i")
    return text[:1].upper() + text[1:]


FAMILIES = ("be", "be_latin", "be_press", "uk", "uk_latin", "polish", "german", "press")


def respell(words: tuple[str, str, str], family: str, rng: random.Random) -> tuple[str, str, str]:
    def one(word: str) -> str:
        if not word:
            return ""
        return {
            "be": _be_cyrillic,
            "be_latin": lambda w: _be_latin(_be_cyrillic(w)),
            "be_press": lambda w: _be_latin(_be_cyrillic(w), press=True),
            "uk": _uk_cyrillic,
            "uk_latin": _uk_latin,
            "polish": _polish,
            "german": lambda w: _german(w, rng),
            "press": _press,
        }[family](word)

    surname, given, patronymic = (one(w) for w in words)
    # Latin spellings mostly come without the patronymic.
    if family not in ("be", "uk") and rng.random() < 0.7:
        patronymic = ""
    return surname, given, patronymic


def cyrillic(text: str) -> bool:
    return any("а" <= c <= "я" or c == "ё" for c in text.lower())


# -- the registry with its duplicates ----------------------------------------------------------


def inject(rng: random.Random, count: int, compartments: list[Any]) -> list[tuple[int, int, str]]:
    """Register `count` people a second time; the truth: (original, copy, family)."""
    from django.db import transaction

    from pompolit.cases.models import Case, CaseStatus, NameKind, Person, PersonName
    from pompolit.cases.partial import PartialDate
    from pompolit.cases.services import index_name, number_key

    originals = list(
        Case.objects.filter(person__names__is_primary=True).values_list(
            "person_id",
            "person__names__surname",
            "person__names__given",
            "person__names__patronymic",
            "person__birth_date",
            "case_number",
            "current_facility_id",
        )
    )
    rng.shuffle(originals)
    detained = CaseStatus.objects.get(code="detained")
    truth = []
    with transaction.atomic():
        for pk, surname, given, patronymic, birth, number, facility in originals:
            if len(truth) >= count:
                break
            if not cyrillic(surname):
                continue
            family = rng.choice(FAMILIES)
            new = respell((surname, given, patronymic), family, rng)
            draw = rng.random()
            if birth is None or draw < 0.4:
                copy_birth = birth
            elif draw < 0.65:
                copy_birth = PartialDate(birth.year)
            elif draw < 0.8:
                copy_birth = PartialDate(birth.year, birth.month)
            else:
                copy_birth = None
            person = Person.objects.create(
                birth_date=copy_birth, display_name=" ".join(p for p in new if p)
            )
            name = PersonName.objects.create(
                person=person,
                kind=NameKind.NAME,
                surname=new[0],
                given=new[1],
                patronymic=new[2],
                is_primary=True,
            )
            index_name(name)
            copy_number = number if rng.random() < 0.3 else ""
            Case.objects.create(
                compartment=rng.choice(compartments),
                person=person,
                status=detained,
                case_number=copy_number,
                case_number_key=number_key(copy_number),
                current_facility_id=facility if rng.random() < 0.4 else None,
                notes="[СИНТЕТИКА / SYNTHETIC] duplicate",
            )
            truth.append((pk, person.pk, family))
    return truth


def quality(found: set[tuple[int, int]], truth: set[tuple[int, int]]) -> tuple[float, float]:
    hits = len(found & truth)
    precision = hits / len(found) if found else 1.0
    recall = hits / len(truth) if truth else 1.0
    return precision, recall


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


# -- splink ------------------------------------------------------------------------------------


def splink_records() -> list[dict[str, Any]]:
    from anyascii import anyascii

    from pompolit.cases.duplicates.scan import load_profiles
    from pompolit.cases.models import PersonName

    primary = {
        pk: (s, g, p)
        for pk, s, g, p in PersonName.objects.filter(is_primary=True).values_list(
            "person_id", "surname", "given", "patronymic"
        )
    }
    rows = []
    for pk, profile in load_profiles().items():
        s, g, p = primary.get(pk, ("", "", ""))
        birth = profile.birth
        rows.append(
            {
                "unique_id": pk,
                "surname": anyascii(s).lower() or None,
                "first_name": anyascii(g).lower() or None,
                "patronymic": anyascii(p).lower() or None,
                "dob": str(birth) if birth is not None and birth.precision == "day" else None,
                "birth_year": str(birth.year) if birth is not None else None,
                "case_number": min(profile.case_numbers) if profile.case_numbers else None,
                "facility": str(min(profile.facilities)) if profile.facilities else None,
            }
        )
    return rows


def run_splink(rows: list[dict[str, Any]]) -> tuple[set[tuple[int, int]], float]:
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    started = time.perf_counter()
    db_api = DuckDBAPI()
    table = db_api.register(pa.Table.from_pylist(rows))
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("surname"),
            cl.NameComparison("first_name"),
            cl.JaroWinklerAtThresholds("patronymic"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("birth_year"),
            cl.ExactMatch("case_number"),
            cl.ExactMatch("facility"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("substr(surname, 1, 3)", "birth_year"),
            block_on("first_name", "birth_year"),
            block_on("case_number"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(table, settings, log_level=None)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("surname", "first_name", "birth_year")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("substr(surname, 1, 3)", "birth_year")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name", "birth_year")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("surname", "first_name")
    )
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    found = {
        (
            min(int(r["unique_id_l"]), int(r["unique_id_r"])),
            max(int(r["unique_id_l"]), int(r["unique_id_r"])),
        )
        for r in predictions.as_record_list()
    }
    return found, time.perf_counter() - started


# -- main --------------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument(
        "--duplicates",
        type=int,
        default=0,
        help="how many people to register twice (default: 2%% of --people)",
    )
    parser.add_argument("--db", choices=["sqlite", "postgres"], default="sqlite")
    parser.add_argument("--pg-name", default="pompolit_duplicates_bench")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--typed", type=int, default=300, help="as-you-type queries")
    parser.add_argument("--no-splink", action="store_true")
    parser.add_argument(
        "--people-only",
        action="store_true",
        help="generate the people, names, keys and cases only (no events, charges nor word "
        "index: the same people, far faster; what the scan and the matches read)",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="also run the pair-by-pair scan and check that it finds the same",
    )
    parser.add_argument("--dir", help="SQLite: keep the database in this folder")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure a database made before (same --dir or --pg-name)",
    )
    args = parser.parse_args()
    duplicates = args.duplicates or max(1, args.people // 50)
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(args.dir) if args.dir else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        vendor = setup(folder, args.db, args.pg_name, reuse=args.reuse)
        from cases_bench import people  # the bench's case worker and its compartments
        from notes_bench import unseal

        from pompolit.cases.duplicates import scan as scanning
        from pompolit.cases.duplicates import services
        from pompolit.cases.models import Person
        from pompolit.cases.partial import PartialDate
        from pompolit.cases.synthetic import generate

        rng = random.Random(args.seed)
        unseal(folder, args.reuse)
        worker, compartments = people()
        truth_file = folder / "duplicates_truth.tsv"
        start = time.perf_counter()
        if not args.reuse:
            generate(
                compartments,
                args.people - duplicates,
                seed=args.seed,
                batch_size=5000,
                today=TODAY,
                progress=lambda line: print("  " + line, flush=True),
                events=not args.people_only,
            )
            truth_rows = inject(rng, duplicates, compartments)
            truth_file.write_text("".join(f"{a}\t{b}\t{f}\n" for a, b, f in truth_rows))
            settle()  # statistics and visibility map, as autovacuum gives
        truth_rows = [
            (int(a), int(b), f)
            for a, b, f in (line.split("\t") for line in truth_file.read_text().splitlines())
        ]
        truth = {(min(a, b), max(a, b)) for a, b, _f in truth_rows}
        print(
            f"{vendor}: {Person.objects.count():,} people, {len(truth):,} registered twice, "
            f"ready in {time.perf_counter() - start:.0f} s",
            flush=True,
        )

        stats = scanning.ScanStats()
        load_before = os.getloadavg()[0]
        started, cpu = time.perf_counter(), time.process_time()
        found = scanning.scan(stats=stats)
        scan_seconds = time.perf_counter() - started
        scan_cpu = time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        stored = len(services.store_scan(None, found, stats))
        store_seconds = time.perf_counter() - started
        store_cpu = time.process_time() - cpu
        listed = {(c.low, c.high) for c in found}
        likely = {(c.low, c.high) for c in found if c.likely}
        p_listed, r_listed = quality(listed, truth)
        p_likely, r_likely = quality(likely, truth)
        phases = ", ".join(f"{k} {v:.1f} s" for k, v in stats.seconds.items())
        print(
            f"scan: {scan_seconds:.1f} s, CPU {scan_cpu:.1f} s ({phases}; load average "
            f"{load_before:.1f} → {os.getloadavg()[0]:.1f}); {stats.blocked_pairs:,} pairs from "
            f"blocking, {stats.compared_pairs:,} compared, {len(listed):,} listed"
        )
        print(
            f"  stored for review ({stored:,} pairs, `services.store_scan`): "
            f"{store_seconds:.1f} s, CPU {store_cpu:.1f} s"
        )
        if args.check:
            scanning.forget_name_scores()
            started, cpu = time.perf_counter(), time.process_time()
            reference = scanning.scan_pair_by_pair()
            print(
                f"  pair by pair (the reference): {time.perf_counter() - started:.1f} s, CPU "
                f"{time.process_time() - cpu:.1f} s; the same pairs, scores and evidence: "
                f"{reference == found}"
            )
        print(
            f"  listed (score ≥ {scanning.LISTED}): precision {p_listed:.3f}, recall {r_listed:.3f}"
        )
        print(
            f"  likely (score ≥ {scanning.LIKELY}, no conflict): precision {p_likely:.3f}, "
            f"recall {r_likely:.3f}"
        )
        by_family: dict[str, list[bool]] = {}
        for a, b, family in truth_rows:
            by_family.setdefault(family, []).append((min(a, b), max(a, b)) in listed)
        print(
            "  recall by spelling family: "
            + ", ".join(f"{f} {sum(v) / len(v):.2f}" for f, v in sorted(by_family.items()))
        )

        samples = []
        copies = dict(
            Person.objects.filter(pk__in=[b for _a, b, _f in truth_rows]).values_list(
                "pk", "display_name"
            )
        )
        births = dict(Person.objects.filter(pk__in=copies).values_list("pk", "birth_date"))
        queries = [(copies[b], births[b]) for _a, b, _f in truth_rows[: args.typed]]
        # No help from the scan's cache of compared names; warm up on other names (the
        # originals), as a running server would be.
        scanning.forget_name_scores()
        originals = Person.objects.filter(pk__in=[a for a, _b, _f in truth_rows[-30:]])
        for original in originals:
            services.possible_matches(worker, original.display_name, None)
        cpu_samples = []
        for text, birth in queries:
            began, cpu = time.perf_counter(), time.process_time()
            services.possible_matches(
                worker, text, birth if isinstance(birth, PartialDate) else None
            )
            samples.append((time.perf_counter() - began) * 1000)
            cpu_samples.append((time.process_time() - cpu) * 1000)
        if samples:
            print(
                f"as-you-type ({len(samples)} spellings): p50 "
                f"{statistics.median(samples):.1f} ms, p95 {percentile(samples, 0.95):.1f} ms,"
                f" max {max(samples):.1f} ms; client CPU p50 "
                f"{statistics.median(cpu_samples):.1f} ms, p95 "
                f"{percentile(cpu_samples, 0.95):.1f} ms"
            )

        if not args.no_splink:
            rows = splink_records()
            cpu = time.process_time()
            splink_found, splink_seconds = run_splink(rows)
            splink_cpu = time.process_time() - cpu
            p_s, r_s = quality(splink_found, truth)
            print(
                f"splink (DuckDB, Fellegi–Sunter, p ≥ 0.5): {splink_seconds:.1f} s, CPU "
                f"{splink_cpu:.1f} s, {len(splink_found):,} pairs, precision {p_s:.3f}, "
                f"recall {r_s:.3f}"
            )
        print(
            f"machine: {platform.machine()}, {os.cpu_count()} CPUs, "
            f"{platform.python_implementation()} {platform.python_version()}, "
            f"{datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, load average "
            f"{os.getloadavg()[0]:.1f}"
        )


if __name__ == "__main__":
    main()
