"""No filter or tag of ours shares a name with one of Django's libraries or another of ours:
a template that loads both gets whichever it loaded last (the letter's language once read
"Russian" on Russian pages: Django's i18n has a `language_name` filter too)."""

from collections import Counter

from django.template import engines
from django.template.backends.django import get_installed_libraries

DJANGO_LIBRARIES = ("i18n", "l10n", "static", "tz", "cache")


def _names(module_path: str) -> set[str]:
    import importlib

    library = importlib.import_module(module_path).register
    return set(library.filters) | set(library.tags)


def test_our_filters_and_tags_have_names_of_their_own():
    libraries = get_installed_libraries()
    ours = {name: path for name, path in libraries.items() if path.startswith("pompolit.")}
    assert ours, "no template library of ours found"
    engine = engines["django"].engine
    builtins = {
        n for library in engine.template_builtins for n in (*library.filters, *library.tags)
    }
    django = set().union(*(_names(libraries[name]) for name in DJANGO_LIBRARIES))

    counts = Counter(n for path in ours.values() for n in _names(path))
    shared = sorted(n for n, times in counts.items() if times > 1)
    clashes = {
        name: sorted(_names(path) & (django | builtins)) for name, path in ours.items()
    }
    assert not shared, f"defined by two of our libraries: {shared}"
    assert not any(clashes.values()), {k: v for k, v in clashes.items() if v}
