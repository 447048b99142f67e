"""
STOP and START in every language we serve, matched however they are typed.

A reply is read as a keyword when, after folding case, accents, Arabic-script letter
variants and punctuation, it is one of these words (or one of them followed by at most
two more words, e.g. "stop please").
"""

import re
import unicodedata

STOP_WORDS = {
    # English, French
    "stop",
    "stopall",
    "unsubscribe",
    "cancel",
    "end",
    "quit",
    "arret",
    "arrete",
    "desabonner",
    # Arabic
    "توقف",
    "قف",
    "ايقاف",
    "الغاء",
    "وقف",
    # Pashto
    "ودروه",
    "بند",
    "بس",
    # Dari / Farsi
    "لغو",
    "متوقف",
    # Kurdish Sorani
    "وەستان",
    "راگرتن",
    "بەسە",
    "بوەستە",
    # Tigrinya / Amharic
    "ኣቋርጽ",
    "ኣቁም",
    "ደው",
    "አቁም",
    "ይቁም",
    # Urdu
    "روکیں",
    "رکو",
    "بندکرو",
}
START_WORDS = {
    "start",
    "unstop",
    "demarrer",
    "reprendre",
    "ابدا",
    "ابدأ",
    "تشغيل",
    "پیل",
    "شروع",
    "دەستپێکردن",
    "دەستپێبکە",
    "ጀምር",
    "ጀምሩ",
}

_TASHKEEL = re.compile("[\u064b-\u065f\u0670\u06d6-\u06ed\u0640]")
_ARABIC_VARIANTS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ي": "ی", "ى": "ی", "ك": "ک", "ة": "ه", "ۀ": "ه"}
)
_NOT_WORD = re.compile(r"[^\w\s]", re.UNICODE)


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(
        ch for ch in text if unicodedata.category(ch) != "Mn" or "\u1200" <= ch <= "\u139f"
    )
    text = unicodedata.normalize("NFC", text)
    text = _TASHKEEL.sub("", text).translate(_ARABIC_VARIANTS).replace("\u200c", "")
    return " ".join(_NOT_WORD.sub(" ", text.casefold()).split())


_STOP = {fold(word) for word in STOP_WORDS}
_START = {fold(word) for word in START_WORDS}


def keyword_of(body: str) -> str | None:
    """'stop', 'start' or None."""
    words = fold(body).split()
    if not words or len(words) > 3:
        return None
    if words[0] in _STOP or "".join(words) in _STOP:
        return "stop"
    if words[0] in _START or "".join(words) in _START:
        return "start"
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
