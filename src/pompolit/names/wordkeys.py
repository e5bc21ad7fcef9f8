"""The skeleton keys of one word of a name, in whatever script it is written."""

from functools import lru_cache

from anyascii import anyascii

from pompolit.names import morphology
from pompolit.names.languages import latin_readings as language_readings
from pompolit.names.languages import national_spellings
from pompolit.names.normalize import fold_case
from pompolit.names.script import Script, detect_script, fix_homoglyphs
from pompolit.names.skeleton import skeleton
from pompolit.names.translit import transliterations

# Particles that belong to a name but say nothing about who it is.
PARTICLES = frozenset(
    (
        "von", "van", "der", "den", "de", "du", "da", "di", "del", "la", "le", "el", "al",
        "ibn", "bin", "ben", "ter", "фон", "ван", "дер", "де", "ди", "ла", "ле", "аль",
        "эль", "ибн", "бен", "бин", "оглы", "кызы", "улы", "углы", "уулу",
    )
)


# Latin initials of Cyrillic letters spelled with two or more letters: Yu. Zh.
LATIN_INITIALS = frozenset(
    ("yu", "ya", "ye", "yo", "iu", "ia", "ju", "ja", "je", "zh", "kh", "ch", "sh", "shch",
     "ts", "tch", "tsch", "sch", "dzh")
)


def is_initial(word: str) -> bool:
    core = word.rstrip(".")
    if len(core) == 1:
        return True
    return word.endswith(".") and core.casefold() in LATIN_INITIALS


def is_particle(word: str) -> bool:
    return word.casefold() in PARTICLES


def spelled_keys(word: str) -> frozenset[str]:
    """Keys of one spelling, without looking for other grammatical forms."""
    script = detect_script(word)
    if script is Script.CYRILLIC:
        spellings = [*transliterations(word).values(), *national_spellings(word)]
        found = {skeleton(latin) for latin in spellings}
    elif script is Script.LATIN:
        found = {skeleton(word)} | {skeleton(r) for r in language_readings(word.casefold())}
    else:
        found = {skeleton(anyascii(word))}
    return frozenset(found - {""})


@lru_cache(maxsize=200_000)
def word_keys(word: str, query: bool = False) -> frozenset[str]:
    """Keys of a word of a name.

    A registered name is in the nominative, so its keys are those of its
    spelling. A query also gets every nominative it may stand for, so that
    «Навального» finds Навальный and «Иванова» finds Иванов (genitive) as
    well as Иванова.
    """
    word = fold_case(fix_homoglyphs(word)).strip(".'-")
    if not word or is_initial(word) or is_particle(word):
        return frozenset()
    forms = {word}
    if query and detect_script(word) is Script.CYRILLIC:
        forms |= morphology.readings(word)
    elif query and detect_script(word) is Script.LATIN:
        forms |= latin_readings(word)
    keys: set[str] = set()
    for form in forms:
        keys |= spelled_keys(form)
    return frozenset(keys)


def latin_readings(word: str) -> set[str]:
    """Other ways to read an ambiguous Latin spelling: French j is ж."""
    if "j" in word:
        return {word.replace("j", "zh")}
    return set()


@lru_cache(maxsize=200_000)
def exact_keys(word: str) -> frozenset[str]:
    """Keys of a Cyrillic word under one scheme only, to compare it with another
    Cyrillic word: the union over all schemes would let their quirks collide
    (German spells both Захаров and Сахаров «Sacharow»)."""
    word = fold_case(fix_homoglyphs(word)).strip(".'-")
    forms = {word} | morphology.nominatives(word)
    return frozenset(skeleton(transliterations(form)["icao_doc_9303"]) for form in forms)


@lru_cache(maxsize=200_000)
def nominative_keys(word: str) -> frozenset[str]:
    """Keys of a Cyrillic word under every scheme, for its nominatives only (gender kept):
    what comparing it with a Latin word needs. A query's `word_keys` also has the other
    gender's nominative when the word may be an oblique case (Иванова → Иванов)."""
    word = fold_case(fix_homoglyphs(word)).strip(".'-")
    if not word or is_initial(word) or is_particle(word):
        return frozenset()
    keys: set[str] = set()
    for form in {word} | morphology.nominatives(word):
        keys |= spelled_keys(form)
    return frozenset(keys)
