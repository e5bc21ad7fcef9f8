"""A person's name with typed parts."""

import enum
from dataclasses import dataclass

from pompolit.names.normalize import fold_word
from pompolit.names.script import Script, detect_script


class PartKind(enum.StrEnum):
    SURNAME = "surname"
    GIVEN = "given"
    PATRONYMIC = "patronymic"


@dataclass(frozen=True, slots=True)
class Name:
    """One name of a person. Aliases and pseudonyms are further Names.

    A part may hold several words (a double surname, two given names) and
    may be an initial ("Н."). The parts are spelled as typed; `folded` is
    the form matching reads.
    """

    surname: str = ""
    given: str = ""
    patronymic: str = ""

    def part(self, kind: PartKind) -> str:
        return str(getattr(self, kind.value))

    def parts(self) -> list[tuple[PartKind, str]]:
        return [(kind, self.part(kind)) for kind in PartKind if self.part(kind)]

    @property
    def script(self) -> Script:
        return detect_script(" ".join(text for _, text in self.parts()))

    @property
    def is_empty(self) -> bool:
        return not self.parts()

    def folded(self) -> "Name":
        """The name as matching reads it, word by word (`normalize.fold_word`): Семёнов as
        Семенов, Wałęsa as Wałesa. For keys and comparisons only, never to keep or show."""
        parts = (self.surname, self.given, self.patronymic)
        return Name(*(" ".join(map(fold_word, part.split())) for part in parts))

    def __str__(self) -> str:
        """Russian order: surname, given name, patronymic."""
        return " ".join(text for _, text in self.parts())
