"""
The words that stop and restart SMS, per language, as people here type them.

Read by keywords.py, which folds case, accents, Arabic-script letter variants and
punctuation on both sides, so each word is written once in its usual spelling.

- STOP_WORDS: a reply that is one of these (alone, or with a polite word such as
  "please") stops every message at once. Twilio's own opt-out words (STOP, STOPALL,
  UNSUBSCRIBE, CANCEL, END, QUIT) are here: Twilio blocks the number on them anyway.
- UNSURE_STOP_WORDS: words that mean "stop" but also something else ("بس" is "enough"
  and "just": "بس شكرا" is "just thanks"). Alone, they make us ask; with other words,
  they are an ordinary reply.
- START_WORDS: bring the person back, their consent recorded as given by them.
- POLITE_WORDS: may follow a STOP or START word without changing what it means.
"""

STOP_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("stop", "stopall", "stop all", "unsubscribe", "cancel", "end", "quit", "optout"),
    "fr": ("arret", "arrete", "arretez", "arreter", "stoppez", "desabonner", "desinscrire"),
    "ar": ("توقف", "اوقف", "ايقاف", "قف", "وقف", "الغاء", "ستوب", "الغاء الاشتراك"),
    "ps": ("ودروه", "ودرول", "بند کړه", "ستوپ"),
    "fa": ("لغو", "متوقف", "توقف کن", "قطع", "استاپ", "ستاپ"),
    "ckb": ("وەستان", "بوەستە", "ڕاگرتن", "راگرتن", "ستۆپ"),
    "ti": ("ኣቋርጽ", "ኣቋርጹ", "ኣቁም", "ኣቁሙ", "ስቶፕ"),
    "am": ("አቁም", "አቁሙ", "ይቁም", "አቋርጥ", "አቋርጡ"),
    "ur": ("روکیں", "روکو", "رکو", "بند کرو", "بند کریں", "سٹاپ", "اسٹاپ"),
}
UNSURE_STOP_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("enough", "no more"),
    "fr": ("assez", "fini"),
    "ar": ("بس", "كفى", "خلاص"),
    "ps": ("بس", "بند"),
    "fa": ("بس", "بسه", "کافیه"),
    "ckb": ("بەسە", "بەس"),
    "ti": ("ደው", "ይኣክል"),
    "am": ("ይበቃል", "በቃ"),
    "ur": ("بس", "بند"),
}
START_WORDS: dict[str, tuple[str, ...]] = {
    "en": ("start", "unstop", "restart"),
    "fr": ("demarrer", "reprendre", "recommencer"),
    "ar": ("ابدا", "ابدأ", "تشغيل", "استمرار"),
    "ps": ("پیل", "بیا پیل"),
    "fa": ("شروع", "ادامه"),
    "ckb": ("دەستپێکردن", "دەستپێبکە"),
    "ti": ("ጀምር", "ጀምሩ"),
    "am": ("ጀምር", "ጀምሩ", "ቀጥል"),
    "ur": ("شروع", "شروع کریں"),
}
POLITE_WORDS: tuple[str, ...] = (
    "please",
    "pls",
    "thanks",
    "thank you",
    "svp",
    "stp",
    "merci",
    "شكرا",
    "من فضلك",
    "لطفا",
    "مننه",
    "مرسی",
    "سپاس",
    "تکایە",
    "سوپاس",
    "የቐንየለይ",
    "እባክህ",
    "አመሰግናለሁ",
    "شکریہ",
    "مہربانی",
)
