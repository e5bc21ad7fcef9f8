"""Given names and the short and foreign forms people are known by.

A hotline caller says «Коля», the case says «Николай Иванович». The table
maps a full name to the forms that stand for it; a form may stand for more
than one name (Саша is Александр or Александра, Слава four different men).
"""

from functools import cache

from pompolit.names.wordkeys import word_keys

GIVEN_NAMES: dict[str, tuple[str, ...]] = {
    # men
    "Александр": ("Саша", "Саня", "Шура", "Алик", "Сашка", "Alexandre", "Alexander", "Sascha"),
    "Алексей": ("Лёша", "Алёша", "Лёха", "Alexis"),
    "Анатолий": ("Толя", "Толик"),
    "Андрей": ("Андрюша", "Андрюха", "André", "Andreas"),
    "Аркадий": ("Аркаша",),
    "Борис": ("Боря",),
    "Вадим": ("Вадик",),
    "Валентин": ("Валя",),
    "Василий": ("Вася",),
    "Вениамин": ("Веня",),
    "Виктор": ("Витя", "Витёк"),
    "Владимир": ("Володя", "Вова", "Вовка", "Влад"),
    "Владислав": ("Влад", "Слава", "Владик"),
    "Вячеслав": ("Слава", "Славик"),
    "Геннадий": ("Гена",),
    "Георгий": ("Жора", "Гоша", "Юра", "Georges", "George"),
    "Григорий": ("Гриша",),
    "Дмитрий": ("Дима", "Митя", "Димитрий"),
    "Евгений": ("Женя", "Eugène", "Eugen"),
    "Иван": ("Ваня", "Johann"),
    "Игорь": ("Гоша",),
    "Илья": ("Илюша",),
    "Иосиф": ("Осип", "Ося", "Joseph", "Józef"),
    "Кирилл": ("Киря",),
    "Константин": ("Костя",),
    "Лев": ("Лёва", "Léon", "Leo"),
    "Леонид": ("Лёня",),
    "Максим": ("Макс",),
    "Матвей": ("Мотя",),
    "Михаил": ("Миша", "Michel", "Michael", "Michał"),
    "Николай": ("Коля", "Nicolas", "Nicholas", "Nikolaus"),
    "Павел": ("Паша", "Paul", "Paweł"),
    "Пётр": ("Петя", "Pierre", "Peter", "Piotr"),
    "Роман": ("Рома",),
    "Святослав": ("Слава", "Свят"),
    "Семён": ("Сёма",),
    "Сергей": ("Серёжа", "Серж", "Serge"),
    "Станислав": ("Стас",),
    "Степан": ("Стёпа",),
    "Тимофей": ("Тима",),
    "Фёдор": ("Федя", "Théodore", "Теодор"),
    "Эдуард": ("Эдик",),
    "Юрий": ("Юра", "Georges"),
    "Яков": ("Яша", "Jacob", "Jakob"),
    "Ярослав": ("Слава", "Ярик"),
    # women
    "Александра": ("Саша", "Шура", "Alexandra"),
    "Алла": ("Аллочка",),
    "Анастасия": ("Настя", "Ася", "Стася", "Anastasia"),
    "Анна": ("Аня", "Нюра", "Анюта", "Ася", "Anne", "Annette"),
    "Антонина": ("Тоня", "Тося"),
    "Валентина": ("Валя",),
    "Варвара": ("Варя", "Barbara"),
    "Вера": ("Верочка",),
    "Виктория": ("Вика",),
    "Галина": ("Галя",),
    "Дарья": ("Даша", "Дария"),
    "Евгения": ("Женя", "Eugénie"),
    "Евдокия": ("Дуня", "Авдотья"),
    "Екатерина": ("Катя", "Катерина", "Catherine", "Katharina"),
    "Елена": ("Лена", "Алёна", "Hélène", "Helene"),
    "Елизавета": ("Лиза", "Élisabeth", "Elisabeth"),
    "Зинаида": ("Зина",),
    "Ирина": ("Ира", "Irène"),
    "Ксения": ("Ксюша", "Оксана"),
    "Лариса": ("Лара",),
    "Лидия": ("Лида",),
    "Любовь": ("Люба",),
    "Людмила": ("Люда", "Мила"),
    "Маргарита": ("Рита",),
    "Мария": ("Маша", "Маруся", "Мариша", "Marie", "Mary"),
    "Надежда": ("Надя",),
    "Наталья": ("Наташа", "Наталия", "Natalie", "Nathalie"),
    "Ольга": ("Оля",),
    "Полина": ("Поля",),
    "Светлана": ("Света",),
    "Софья": ("Соня", "София", "Sophie"),
    "Тамара": ("Тома",),
    "Татьяна": ("Таня",),
    "Ульяна": ("Уля",),
    "Юлия": ("Юля", "Julie"),
}


@cache
def forms_by_key() -> dict[str, frozenset[str]]:
    """Every key of every form → the full names it may stand for."""
    index: dict[str, set[str]] = {}
    for full, forms in GIVEN_NAMES.items():
        for form in (full, *forms):
            for key in word_keys(form):
                index.setdefault(key, set()).add(full)
    return {key: frozenset(names) for key, names in index.items()}


def full_names(keys: frozenset[str]) -> frozenset[str]:
    """The full given names that a word with these keys may stand for."""
    table = forms_by_key()
    found: set[str] = set()
    for key in keys:
        found |= table.get(key, frozenset())
    return frozenset(found)


@cache
def full_name_keys(full: str) -> frozenset[str]:
    return word_keys(full)


def is_given_name(keys: frozenset[str]) -> bool:
    return bool(full_names(keys))


def is_full_given_name(keys: frozenset[str]) -> bool:
    """A full name from the table, not only a short or foreign form of one."""
    return any(keys & full_name_keys(full) for full in full_names(keys))
