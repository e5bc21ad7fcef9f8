import pytest

from pompolit.names import query_keys, search_keys, skeleton

SAME_NAME = {
    "Кибальчич": ["Kibaltchiche", "Kibalchich", "Kibal'chich", "Kibaltschitsch", "Kibalʹčič",
                  "Kibaltchitch", "KIBALCHICH", "Kibal’chich"],
    "Навальный": ["Navalny", "Navalnyy", "Navalnyi", "Nawalny", "Naval'nyj", "Navalniy"],
    "Хрущёв": ["Khrushchev", "Khrushchyov", "Hruščëv", "Khrouchtchev", "Khruschev",
               "Chruschtschow"],
    "Чайковский": ["Tchaikovsky", "Chaikovsky", "Tschaikowski", "Čajkovskij", "Chaykovskiy"],
    "Достоевский": ["Dostoevsky", "Dostoyevsky", "Dostojewski", "Dostoïevski", "Dostoevskii"],
    "Желябов": ["Zhelyabov", "Zheliabov", "Želâbov", "Jeliabov", "Scheljabow"],
    "Алексей": ["Aleksei", "Alexey", "Alexej", "Aleksej", "Alexeï", "Aleksey"],
    "Евгений": ["Yevgeny", "Evgenii", "Jewgeni", "Evguenii", "Yevgeniy", "Evgenij"],
    "Юлия": ["Yulia", "Yuliya", "Iuliia", "Julija", "Youlia", "Julia"],
    "Андреев": ["Andreev", "Andreyev", "Andrejew", "Andreïev"],
    "Горбачёв": ["Gorbachev", "Gorbachov", "Gorbatschow", "Gorbačëv", "Gorbatchev"],
    "Софья": ["Sofia", "Sofya", "Sof'ya", "Sofiya", "Sofja", "Sophia"],
    "Ельцин": ["Yeltsin", "Eltsin", "Jelzin", "El'cin", "Eltsine"],
    "Щукин": ["Shchukin", "Schukin", "Ščukin", "Chtchoukine", "Schtschukin"],
    "Ильич": ["Ilyich", "Ilich", "Il'ich", "Iljitsch", "Ilitch"],
    "Пётр": ["Pyotr", "Petr", "Piotr", "Pjotr"],
    "Смирнов": ["Smirnoff", "Smirnov", "Smirnow"],
    "Путин": ["Putin", "Poutine"],
    "Ходорковский": ["Khodorkovsky", "Chodorkowski", "Khodorkovskii", "Hodorkovskij"],
}


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [(cyrillic, latin) for cyrillic, spellings in SAME_NAME.items() for latin in spellings],
)
def test_every_spelling_finds_the_cyrillic_name(cyrillic: str, latin: str) -> None:
    assert query_keys(latin) & search_keys(cyrillic)


def test_the_issue_spellings_share_one_skeleton() -> None:
    spellings = ["Kibaltchiche", "Kibalchich", "Kibal'chich", "Kibaltschitsch"]
    assert {skeleton(s) for s in spellings} == {"kibalcic"}


@pytest.mark.parametrize(
    ("spellings", "rule"),
    [
        (["tch", "tsch", "ch", "č"], "ч is c"),
        (["kh", "h"], "х is h"),
        (["zh", "ž"], "ж is j"),
        (["shch", "sch", "šč", "ŝ", "shtch", "chtch", "schtsch"], "щ is x"),
        (["sh", "š"], "ш is w"),
        (["ts", "tz", "c"], "ц is q"),
    ],
)
def test_consonant_families(spellings: list[str], rule: str) -> None:
    assert len({skeleton(f"a{s}a") for s in spellings}) == 1, rule


@pytest.mark.parametrize(
    "endings",
    [
        ["ii", "iy", "yi", "y", "ij", "i", "yy"],  # -ий, -ый
        ["oi", "oy", "oj", "oï"],  # -ой
        ["ai", "ay", "aj"],  # -ай
    ],
)
def test_final_semivowels(endings: list[str]) -> None:
    assert len({skeleton(f"bor{e}") for e in endings}) == 1


@pytest.mark.parametrize(
    "family",
    [
        ["vyacheslav", "viacheslav", "vjačeslav", "vâčeslav"],  # я
        ["lyubov", "liubov", "ljubov", "lûbov", "lioubov"],  # ю
        ["yezhov", "ezhov", "jezhov"],  # е at the start
        ["fyodor", "fiodor", "fjodor", "fedor", "fëdor"],  # ё
        ["podyachev", "pod'yachev", "podʺjačev"],  # ъ
    ],
)
def test_iotation(family: list[str]) -> None:
    assert len({skeleton(s) for s in family}) == 1


def test_apostrophes_and_doubled_letters() -> None:
    assert skeleton("Kiril") == skeleton("Kirill") == skeleton("Kiril'")
    assert skeleton("Vassili") == skeleton("Vasily")
    assert skeleton("Gennadii") == skeleton("Genadiy")


def test_french_final_e_and_ou() -> None:
    assert skeleton("Raspoutine") == skeleton("Rasputin")
    assert skeleton("Iouri") == skeleton("Yuri")


def test_x_is_ks() -> None:
    assert skeleton("Alexandr") == skeleton("Aleksandr") == skeleton("Alexandre")


def test_output_is_lower_case_ascii() -> None:
    for spellings in SAME_NAME.values():
        for spelling in spellings:
            key = skeleton(spelling)
            assert key.isascii() and key.islower() and key.isalpha()
