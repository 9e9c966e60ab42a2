"""Name tables that rules cannot derive: equivalent spellings of common given names.

Rules (see :mod:`wayhome.names.keys` and :mod:`wayhome.names.traditions`)
already absorb most romanisation differences; these tables cover what is not
rule-shaped: Ukrainian/Russian name pairs (Oleksandr/Aleksandr), unwritten
Arabic vowels (محمد → Muhammad/Mohammed/Mohamed), Armenian given names whose
Russian-tradition forms drop or change letters (Hovhannes/Ованес), and a few
Armenian surname stems that lose a vowel before ``-yan`` (Sargis → Sargsyan).

Each group lists the canonical spelling first; a spelling belongs to exactly
one group (checked by the tests).  The lists are deliberately short: they
contain spellings of the *same* name, not cultural equivalents
(Yusuf/Joseph, Muhammad/Mehmet/Məmməd are *not* merged).
"""

from __future__ import annotations

from types import MappingProxyType

#: Russian/Ukrainian given names (plus a few Georgian/Armenian ones); canonical first.
SLAVIC_GIVEN_NAMES: tuple[tuple[str, ...], ...] = (
    ("aleksandr", "alexander", "alexandr", "aleksander", "oleksandr", "olexandr", "oleksander"),
    ("aleksandra", "alexandra", "oleksandra", "olexandra"),
    ("aleksey", "alexey", "alexei", "aleksei", "oleksiy", "oleksii", "olexiy", "oleksij"),
    ("anatoliy", "anatoly", "anatolii", "anatolij"),
    ("andrey", "andrei", "andriy", "andrii", "andrij"),
    ("anna", "hanna", "ganna"),
    ("bogdan", "bohdan"),
    ("dmitriy", "dmitry", "dmitri", "dmytro", "dimitri", "dmitrij"),
    ("yekaterina", "ekaterina", "katerina", "kateryna"),
    ("yelena", "elena", "olena", "jelena"),
    ("yevgeniy", "evgeniy", "evgeny", "yevgeny", "yevhen", "ievgen", "evgen", "yevhenii"),
    ("fyodor", "fedor", "fiodor", "fedir"),
    ("galina", "halyna"),
    ("georgiy", "georgii", "georgy", "heorhiy", "heorhii", "giorgi"),
    ("grigoriy", "grigory", "grigorii", "hryhoriy", "hryhorii"),
    ("igor", "ihor"),
    ("irina", "iryna"),
    ("kirill", "kyrylo", "kiril"),
    ("lyudmila", "ludmila", "liudmila", "lyudmyla", "liudmyla"),
    ("maksim", "maxim", "maksym", "maxym"),
    ("mikhail", "mykhailo", "mykhaylo", "michail", "mikhailo"),
    ("natalya", "natalia", "nataliya", "natalja"),
    ("nikolay", "nikolai", "mykola", "mykolay", "nicolai"),
    ("oleg", "oleh"),
    ("olga", "olha"),
    ("pavel", "pavlo"),
    ("pyotr", "petr", "petro", "piotr"),
    ("sergey", "sergei", "serhiy", "serhii", "sergiy", "sergii", "serhij"),
    ("svetlana", "svitlana"),
    ("tatyana", "tatiana", "tetyana", "tetiana"),
    ("vasiliy", "vasily", "vasili", "vasyl"),
    ("vitaliy", "vitaly", "vitalii"),
    ("vladimir", "volodymyr", "wladimir", "volodimir"),
    ("yakov", "iakov", "yakiv"),
    ("yuriy", "yury", "yuri", "iurii", "yurii", "jurij"),
    ("lyubov", "liubov", "lubov"),
    ("nadezhda", "nadiya", "nadiia", "nadija"),  # Надежда / Надія (and so any Nadia)
    ("vera", "vira"),  # Вера / Віра
    ("kristina", "khrystyna", "khristina", "christina"),  # Кристина / Христина
    # Armenian given names (national, Russian-tradition and Western spellings).
    ("hakob", "akop", "hagop", "agop"),
    ("hovhannes", "ovanes", "oganes", "hovannes", "ohannes", "ovannes"),
    ("harutyun", "arutyun", "harutiun", "arutiun"),
    ("sargis", "sarkis"),
    ("gevorg", "gevork", "kevork"),
    ("hovsep", "ovsep"),
    ("hrant", "grant"),
    ("poghos", "pogos", "boghos"),
    ("petros", "bedros"),
    ("vardan", "vartan"),
    ("khachatur", "khachatour"),
)

#: Arabic-origin names: (Latin spellings with the canonical first, Arabic skeletons).
#: Arabic forms are written as skeletons (no harakat; أإآ→ا, ى→ي, ة→ه, ئ→ي).
ARABIC_NAMES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("muhammad", "mohammed", "mohamed", "mohammad", "muhammed", "mohamad", "muhamad",
      "muhamed", "mouhamed", "mukhammad", "mukhammed", "magomed", "mohd"), ("محمد",)),
    (("ahmad", "ahmed", "ahmet", "akhmed", "akhmad", "achmed"), ("احمد",)),
    (("mahmud", "mahmoud", "mahmood", "makhmud", "mahmut"), ("محمود",)),
    (("ali",), ("علي",)),
    (("hasan", "hassan", "gasan", "khasan", "hassen"), ("حسن",)),
    (("husayn", "hussein", "hussain", "husain", "husein", "hossein", "huseyn", "guseyn",
      "gusein", "huseyin"), ("حسين",)),
    (("umar", "omar", "omer"), ("عمر",)),
    (("uthman", "othman", "osman", "usman"), ("عثمان",)),
    (("yusuf", "yousef", "youssef", "yousuf", "yusif", "yussuf", "iusuf"), ("يوسف",)),
    (("ibrahim", "ebrahim", "ibragim", "ibraheem", "ibrahem"), ("ابراهيم",)),
    (("ismail", "ismayil", "ismoil", "ismael"), ("اسماعيل",)),
    (("mustafa", "mustapha", "moustafa", "mostafa"), ("مصطفي",)),
    (("khalid", "khaled", "halid"), ("خالد",)),
    (("said", "saeed", "saied"), ("سعيد",)),
    (("sayyid", "sayed", "seyid", "syed", "seyyed"), ("سيد",)),
    (("fatima", "fatimah", "fatma", "fatemeh"), ("فاطمه",)),
    (("aisha", "aysha", "aicha", "ayesha", "aishah"), ("عايشه",)),
    (("maryam", "mariam", "meryem"), ("مريم",)),
    (("zaynab", "zainab", "zeynab", "zeinab"), ("زينب",)),
    (("khadija", "khadijah", "khadizha"), ("خديجه",)),
    (("abbas",), ("عباس",)),
    (("jafar", "jaafar", "djafar", "dzhafar", "jafer"), ("جعفر",)),
    (("hamza", "hamzah", "khamza"), ("حمزه",)),
    (("karim", "kerim", "kareem"), ("كريم",)),
    (("rashid", "rasheed", "rachid", "rashed"), ("رشيد",)),
    (("rasul", "rasoul", "rassoul"), ("رسول",)),
    (("nasir", "nasser", "naser"), ("ناصر",)),
    (("jamal", "gamal", "dzhamal", "cemal"), ("جمال",)),
    (("salim", "selim", "saleem"), ("سليم",)),
    (("sulayman", "suleiman", "sulaiman", "suleyman", "sulejman", "sulaymon"), ("سليمان",)),
    (("yaqub", "yakub", "yaqoob", "yacoub", "yagub"), ("يعقوب",)),
    (("musa", "moussa", "mousa"), ("موسي",)),
    (("isa", "issa", "eisa"), ("عيسي",)),
    (("harun", "haroun", "haroon"), ("هارون",)),
    (("ayyub", "ayub", "ayoub", "eyyub"), ("ايوب",)),
    (("ilyas", "ilias"), ("الياس",)),
    (("idris", "idriss", "edris"), ("ادريس",)),
    (("qasim", "kasim", "gasim", "kassem", "qassem", "kasym"), ("قاسم",)),
    (("haydar", "heydar", "haidar", "gaydar", "heidar"), ("حيدر",)),
    (("mahdi", "mehdi"), ("مهدي",)),
    (("rida", "reza", "riza", "rza", "ridha"), ("رضا",)),
    (("salih", "saleh", "salekh"), ("صالح",)),
    (("tariq", "tarek", "tarik", "tareq"), ("طارق",)),
    (("nur", "noor", "nour"), ("نور",)),
    (("layla", "leila", "leyla", "laila"), ("ليلي",)),
    (("amina", "aminah", "emine"), ("امينه",)),
    (("yasin", "yassin", "yaseen", "yassine"), ("ياسين",)),
    (("bilal",), ("بلال",)),
    (("ziyad", "ziad"), ("زياد",)),
    (("hamid", "hamed", "khamid"), ("حامد", "حميد")),
    (("abd",), ("عبد",)),
    (("allah", "ullah"), ("الله",)),
    (("rahman", "rakhman", "rahmane"), ("رحمن",)),
    (("rahim", "rakhim"), ("رحيم",)),
    (("aziz",), ("عزيز",)),
    (("majid", "majeed", "madzhid", "mejid"), ("مجيد",)),
    (("qadir", "kadir", "gadir", "kader", "qader"), ("قادر",)),
)  # fmt: skip

#: Armenian surname stems that lose a vowel before -yan (Sargis → Sargsyan), with
#: the full stem that Russian-tradition and Western spellings keep.
ARMENIAN_SYNCOPE: MappingProxyType[str, tuple[str, ...]] = MappingProxyType(
    {
        "sargs": ("sargis",),
        "khachatr": ("khachatur",),
        "astvatsatr": ("astvatsatur",),
        "hovhannis": ("hovhannes", "ovanes", "oganes"),
    }
)

_ARABIC_SCRIPT = MappingProxyType(
    {skel: spellings[0] for spellings, skeletons in ARABIC_NAMES for skel in skeletons}
)


def arabic_script_lookup(skeleton: str) -> str | None:
    """Return the canonical Latin spelling of a known Arabic-script name skeleton, if any."""
    return _ARABIC_SCRIPT.get(skeleton)


def spelling_groups() -> tuple[tuple[str, ...], ...]:
    """Return every group of equivalent Latin spellings, canonical spelling first."""
    return SLAVIC_GIVEN_NAMES + tuple(spellings for spellings, _ in ARABIC_NAMES)
