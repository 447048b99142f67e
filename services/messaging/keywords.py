"""
STOP and START in every language we serve, matched however they are typed, and the
answers to a message that asks for 1 or 2.

A reply is folded (case, accents, Arabic-script letter variants, Ethiopic punctuation
and letter variants) and then read against the tables of opt_out_words.py:
- "stop": a STOP word alone, or followed only by polite words ("stop please");
- "ask": a STOP word among other words ("stop sending me this"), or an unsure word
  alone ("بس"). When in doubt nobody is opted out: they are asked to reply STOP again;
- "start": a START word alone or with polite words;
- None: anything else ("بس شكرا", "stopped by the police at the bridge").
"""

import re
import unicodedata

from .opt_out_words import POLITE_WORDS, START_WORDS, STOP_WORDS, UNSURE_STOP_WORDS

_TASHKEEL = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_LETTER_VARIANTS = str.maketrans(
    {
        # Arabic script: the same letter typed on Arabic, Persian, Urdu or Kurdish keyboards.
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ي": "ی",
        "ى": "ی",
        "ې": "ی",
        "ے": "ی",
        "ك": "ک",
        "ة": "ه",
        "ۀ": "ه",
        "ە": "ه",
        "ہ": "ه",
        "ھ": "ه",
        "ڕ": "ر",
        "ۆ": "و",
        "ؤ": "و",
        # Ge'ez: Tigrinya writes the glottal a as ኣ, Amharic as አ.
        "ኣ": "አ",
    }
)
_NOT_WORD = re.compile(r"[^\w\s]", re.UNICODE)
# Ethiopic punctuation (፡ ። ፣ ፤ ፥ ፦ ፧ ፨) is not \w; named here to make that visible.
_ETHIOPIC_PUNCTUATION = re.compile("[\u1360-\u1368]")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(
        ch for ch in text if unicodedata.category(ch) != "Mn" or "\u1200" <= ch <= "\u139f"
    )
    text = unicodedata.normalize("NFC", text)
    text = _TASHKEEL.sub("", text).translate(_LETTER_VARIANTS).replace("\u200c", "")
    text = _ETHIOPIC_PUNCTUATION.sub(" ", text)
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


def _folded(table: dict[str, tuple[str, ...]]) -> frozenset[str]:
    return frozenset(fold(word) for words in table.values() for word in words)


_STOP = _folded(STOP_WORDS)
_UNSURE = _folded(UNSURE_STOP_WORDS)
_START = _folded(START_WORDS)
_POLITE = frozenset(fold(word) for word in POLITE_WORDS)
# A STOP word inside a reply longer than this is an ordinary sentence, not a doubt.
_ASK_UP_TO_WORDS = 4


def _leading(words: list[str], table: frozenset[str]) -> int:
    """How many leading words form an entry of the table (0: none)."""
    for size in (3, 2, 1):
        if len(words) >= size and " ".join(words[:size]) in table:
            return size
    return 0


def _only_polite(words: list[str]) -> bool:
    rest = " ".join(words)
    return not words or rest in _POLITE or all(word in _POLITE for word in words)


def keyword_of(body: str) -> str | None:
    """'stop', 'start', 'ask' (it may mean stop: ask them) or None."""
    words = fold(body).split()
    if not words:
        return None
    for table, keyword in ((_STOP, "stop"), (_START, "start")):
        size = _leading(words, table)
        if size and _only_polite(words[size:]):
            return keyword
    if " ".join(words) in _UNSURE:
        return "ask"
    if len(words) <= _ASK_UP_TO_WORDS and any(word in _STOP for word in words):
        return "ask"
    return None


# Answers to a message that asks "1 to confirm, 2 to cancel". STOP words are not here:
# a STOP word always stops messages (it is read first), so "cancel" or "لغو" opt out
# rather than cancel; the reminder asks for 1 or 2, which every phone can type.
CONFIRM_WORDS = {
    "1",
    # English, French
    "yes",
    "y",
    "ok",
    "okay",
    "confirm",
    "confirmed",
    "oui",
    "confirmer",
    "confirme",
    # Arabic
    "نعم",
    "اكيد",
    "تأكيد",
    "موافق",
    # Pashto
    "هو",
    "هوکې",
    "تایید",
    # Dari / Farsi
    "بله",
    "بلی",
    "آره",
    "تأیید",
    # Kurdish Sorani
    "بەڵێ",
    "ئەرێ",
    "پشتڕاستکردنەوە",
    # Tigrinya / Amharic
    "እወ",
    "ሕራይ",
    "አዎ",
    "እሺ",
    "አረጋግጥ",
    # Urdu
    "جی",
    "ہاں",
    "جیہاں",
    "تصدیق",
}
CANCEL_WORDS = {
    "2",
    "no",
    "n",
    "non",
    "annuler",
    "annule",
    # Arabic
    "لا",
    "الغي",
    # Pashto
    "نه",
    "نه راځم",
    # Dari / Farsi
    "نخیر",
    "کنسل",
    # Kurdish Sorani
    "نەخێر",
    "نا",
    "هەڵوەشاندنەوە",
    # Tigrinya / Amharic
    "ኣይፋል",
    "ኣይመጽእን",
    "አይ",
    "አልመጣም",
    "ሰርዝ",
    # Urdu
    "نہیں",
    "منسوخ",
}
_CONFIRM = {fold(word).replace(" ", "") for word in CONFIRM_WORDS}
_CANCEL = {fold(word).replace(" ", "") for word in CANCEL_WORDS}
# Arabic-Indic, Persian and Ge'ez 1 and 2, as phones in those scripts type them.
_DIGITS = str.maketrans({"١": "1", "۱": "1", "፩": "1", "٢": "2", "۲": "2", "፪": "2"})


def answer_of(body: str) -> str | None:
    """'confirm', 'cancel' or None, for a reply to a message that asks for 1 or 2."""
    words = fold(body).translate(_DIGITS).split()
    if not words or len(words) > 3:
        return None
    for candidate in (words[0], "".join(words)):
        if candidate in _CONFIRM:
            return "confirm"
        if candidate in _CANCEL:
            return "cancel"
    return None
