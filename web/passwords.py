"""The password rule, NIST SP 800-63B style: every path that sets a password asks ``check``.

* at least ``MIN_LENGTH`` characters (Thai letters count one each; spaces are fine), no upper limit
  of our own and no composition rules (no "a digit and a symbol");
* not easy to guess: zxcvbn (Dropbox's estimator, its lists of common passwords, words and names
  ship inside the package, so nothing is fetched) must score it at least ``MIN_SCORE`` of 4, i.e.
  about 10^8 guesses. That refuses common passwords (``1234567890``, ``qwertyuiop``), repeats
  (``aaaaaaaaaa``), sequences (``abcdefghij``), keyboard rows, dates, and passwords built on the
  user name or the application's name. A phrase of a few words passes
  (``correct horse battery staple``).
* Thai is judged as well as English (zxcvbn alone knows English words and the QWERTY keyboard):
  the password is judged three ways and the weakest counts —

  1. as typed, with the common Thai words and phrases of ``data/seeds/common_thai_passwords.txt``,
     the names of the provinces, of this province's districts and sub-districts and of its
     offices (``data/official/reference``) as dictionary words beside the user name;
  2. with Thai digits as Arabic ones, Buddhist-era years (2500–2599) as the Christian-era year
     (2569 → 2026, so ``Chumphon2569`` is a name and a recent year) and runs of Thai consonants in
     alphabet order (``กขคงจ``) as a sequence;
  3. as the keys pressed on the Thai Kedmanee keyboard (``kedmanee``: ``ๆไำพะัีรนยบ`` is
     ``qwertyuiop[``), so a row of Thai keys is a keyboard row, and a Thai word typed is its keys.

  A long phrase of uncommon Thai words passes (``ช้างเผือกกินมะม่วงใต้ต้นไม้ริมคลอง7``).

The refusal says why in Thai and English (``WeakPassword``, a ``ValueError``).
"""

from __future__ import annotations

import csv
import functools
import re
import threading
from pathlib import Path

MIN_LENGTH = 10
MIN_SCORE = 3
_ZXCVBN_MAX = 72  # zxcvbn refuses longer input; the first 72 characters are judged
# words anyone attacking this site would try first (NIST: "context-specific words")
CONTEXT = ("sanyan", "สัญญาณ", "eis", "admin", "password", "รหัสผ่าน")
_ROOT = Path(__file__).resolve().parent.parent
THAI_WORDS_FILE = Path("seeds") / "common_thai_passwords.txt"
_REFERENCE = Path("official") / "reference"

# The Thai Kedmanee layout (TIS 820-2538), row by row: the Latin keys, the Thai letter each gives
# unshifted, the shifted Latin keys and the Thai letter each gives shifted.
_KEDMANEE_ROWS = (
    ("`1234567890-=", "_ๅ/-ภถุึคตจขช", "~!@#$%^&*()_+", "%+๑๒๓๔ู฿๕๖๗๘๙"),
    ("qwertyuiop[]\\", "ๆไำพะัีรนยบลฃ", "QWERTYUIOP{}|", '๐"ฎฑธํ๊ณฯญฐ,ฅ'),
    ("asdfghjkl;'", "ฟหกดเ้่าสวง", 'ASDFGHJKL:"', "ฤฆฏโฌ็๋ษศซ."),
    ("zxcvbnm,./", "ผปแอิืทมใฝ", "ZXCVBNM<>?", "()ฉฮฺ์?ฒฬฦ"),
)
# every character of the layout -> its key ("ๅ" -> "1", "/" -> "2", "๑" -> "@")
_KEDMANEE_ALL = {
    th: latin
    for keys, thai, shifted, thai_shifted in _KEDMANEE_ROWS
    for latin, th in (*zip(keys, thai, strict=True), *zip(shifted, thai_shifted, strict=True))
}
# the Thai characters only: the layout's others ("/", "-", "_", ".") are typed on a Latin one too
KEDMANEE = {th: latin for th, latin in _KEDMANEE_ALL.items() if "\u0e00" <= th <= "\u0e7f"}
# the consonants in alphabet order, without the obsolete ฃ and ฅ that people skip (กขคง...)
_ALPHABET = {c: i for i, c in enumerate("กขคฆงจฉชซฌญฎฏฐฑฒณดตถทธนบปผฝพฟภมยรลวศษสหฬอฮ")}
_THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")
_BE_YEAR = re.compile(r"25\d\d")

HINT = {
    "th": f"อย่างน้อย {MIN_LENGTH} ตัวอักษร และเดายาก เช่น หลายคำต่อกัน",
    "en": f"at least {MIN_LENGTH} characters and hard to guess, e.g. a few words together",
}

# zxcvbn's warnings (zxcvbn/feedback.py) in Thai; the English is zxcvbn's own
_THAI = {
    "Straight rows of keys are easy to guess.": "แป้นที่เรียงกันบนแป้นพิมพ์เดาได้ง่าย",
    "Short keyboard patterns are easy to guess.": "รูปแบบแป้นพิมพ์สั้น ๆ เดาได้ง่าย",
    'Repeats like "aaa" are easy to guess.': 'ตัวอักษรซ้ำกัน เช่น "aaa" หรือ "กกก" เดาได้ง่าย',
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': 'ชุดตัวอักษรซ้ำกัน เช่น "abcabcabc" เดายากกว่า "abc" เพียงเล็กน้อย',
    'Sequences like "abc" or "6543" are easy to guess.': 'ตัวอักษรหรือตัวเลขเรียงกัน เช่น "abc" "กขค" หรือ "6543" เดาได้ง่าย',
    "Recent years are easy to guess.": "ปีที่ผ่านมาไม่นาน (ค.ศ. หรือ พ.ศ.) เดาได้ง่าย",
    "Dates are often easy to guess.": "วันที่มักเดาได้ง่าย",
    "This is a top-10 common password.": "เป็นหนึ่งในรหัสผ่านที่ใช้กันมากที่สุด 10 อันดับแรก",
    "This is a top-100 common password.": "เป็นหนึ่งในรหัสผ่านที่ใช้กันมากที่สุด 100 อันดับแรก",
    "This is a very common password.": "เป็นรหัสผ่านที่ใช้กันมาก",
    "This is similar to a commonly used password.": "คล้ายรหัสผ่านที่ใช้กันมาก",
    "A word by itself is easy to guess.": "คำเดียวโดด ๆ เดาได้ง่าย",
    "Names and surnames by themselves are easy to guess.": "ชื่อหรือนามสกุลโดด ๆ เดาได้ง่าย",
    "Common names and surnames are easy to guess.": "ชื่อและนามสกุลที่พบบ่อยเดาได้ง่าย",
}
# why, when the password contains one of our own dictionary words (by the word's kind)
_WORD_KINDS = {
    "user": ("มีชื่อผู้ใช้หรือชื่อระบบอยู่ในรหัสผ่าน", "It contains the user name or the application's name."),
    "word": ("มีคำหรือวลีภาษาไทยที่ใช้กันบ่อยหรือชื่อหน่วยงาน", "It contains a common Thai word or phrase, or an office's name."),
    "place": ("มีชื่อจังหวัด อำเภอ หรือตำบลอยู่ในรหัสผ่าน", "It contains the name of a province, district or sub-district."),
}
_KEYBOARD = (
    "ตัวอักษรไทยเหล่านี้กดแป้นเดียวกับรหัสผ่านที่เดาง่ายบนแป้นพิมพ์ภาษาอังกฤษ",
    "On a Thai keyboard these are the keys of an easy English password",
)
_lock = threading.Lock()  # zxcvbn keeps the user inputs in a module-level dictionary


class WeakPassword(ValueError):
    """A password the rule refuses; the message is Thai / English."""


def kedmanee(text: str, layout_only: bool = False) -> str:
    """``text`` as the keys pressed on the Thai Kedmanee keyboard: each Thai character becomes its
    Latin key (a shifted one the shifted Latin character), anything else stays: ``ๆไำพะัีรนยบ``
    -> ``qwertyuiop[``, ``ๅ/-ภ`` -> ``1/-4``, ``๑๒๓`` -> ``@#$``. ``layout_only``: the layout's
    other characters too, as typed in Thai mode (``ๅ/-ภ`` -> ``1234``)."""
    table = _KEDMANEE_ALL if layout_only else KEDMANEE
    return "".join(table.get(c, c) for c in text)


def _thai_sequences(text: str) -> str:
    """Runs of three or more Thai consonants one step apart in the alphabet (กขคง, ฮอฬห) as
    characters one code point apart, which zxcvbn's sequence matcher then finds."""
    out = list(text)
    i = 0
    while i < len(text):
        j = i + 1
        if text[i] in _ALPHABET and j < len(text) and text[j] in _ALPHABET:
            step = _ALPHABET[text[j]] - _ALPHABET[text[i]]
            if abs(step) == 1:
                while (
                    j + 1 < len(text)
                    and text[j + 1] in _ALPHABET
                    and _ALPHABET[text[j + 1]] - _ALPHABET[text[j]] == step
                ):
                    j += 1
                if j - i >= 2:
                    out[i : j + 1] = [chr(0x4E00 + _ALPHABET[c]) for c in text[i : j + 1]]
                    i = j + 1
                    continue
        i += 1
    return "".join(out)


def _plain(text: str) -> str:
    """Thai digits as Arabic ones and Buddhist-era years (2500-2599) as Christian-era ones."""
    return _BE_YEAR.sub(lambda m: str(int(m.group()) - 543), text.translate(_THAI_DIGITS))


def _keys(password: str) -> str | None:
    """The keys of a password with Thai in it, typed in Thai mode (None: no Thai)."""
    return _plain(kedmanee(password, layout_only=True)) if any(c in KEDMANEE for c in password) else None


def variants(password: str) -> list[str]:
    """The ways ``password`` is judged (the first is itself), without repeats."""
    ways = [password, _thai_sequences(_plain(password)), _keys(password)]
    return list(dict.fromkeys(w for w in ways if w is not None))


def _first(*paths: Path) -> Path | None:
    return next((p for p in paths if p.exists()), None)


def _data(rel: Path) -> Path | None:
    """``rel`` in the data folder (``SANYAN_DATA_DIR``), else in the repository's data/."""
    try:
        import config

        data_dir = config.settings.data_dir
    except Exception:  # noqa: BLE001  (no settings: the repository's copy)
        data_dir = _ROOT / "data"
    return _first(data_dir / rel, _ROOT / "data" / rel)


def _rows(path: Path | None) -> list[dict]:
    if path is None:
        return []
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


@functools.lru_cache(maxsize=4)
def _thai_words(path: Path | None) -> tuple[str, ...]:
    if path is None:
        return ()
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return tuple(w for w in lines if w)


def _names(th: str | None, en: str | None, alternates: str | None = "") -> list[str]:
    out = [th or ""]
    for e in (en or "", *(alternates or "").split("|")):
        out += [e, e.replace(" ", "").replace("-", "")]
    return [n.strip() for n in out if n and n.strip()]


@functools.lru_cache(maxsize=4)
def _places(reference: Path | None, province: str) -> tuple[str, ...]:
    """The office's province (its names, its offices), its districts, the other provinces and its
    sub-districts, most likely first."""
    if reference is None:
        return ()
    provinces = _rows(reference / "thailand-adm1-provinces-v1.0.0.csv")
    districts = _rows(reference / "thailand-adm2-districts-v1.0.0.csv")
    subdistricts = _rows(reference / "thailand-adm3-subdistricts-v1.0.0.csv")
    out: list[str] = []
    for p in provinces:
        if p["tis1099_code"] == province:
            th = p["name_th"]
            out += _names(th, p["name_en_canonical"], p["name_alternates_en"])
            out += [f"สำนักงานจังหวัด{th}", f"ศาลากลางจังหวัด{th}"]
    for d in districts:
        if d["parent_province_tis1099_code"] == province:
            out += _names(d["name_th"], d["name_en"])
    for p in provinces:
        out += _names(p["name_th"], p["name_en_canonical"], p["name_alternates_en"])
    for s in subdistricts:
        if s["parent_province_tis1099_code"] == province:
            out += _names(s["name_th"], s["name_en"])
    return tuple(out)


def _dictionary(username: str | None) -> tuple[list[str], dict[str, str]]:
    """zxcvbn's ``user_inputs`` (each Thai entry followed by its Kedmanee keys, so both rank
    alike) and the kind of each (lower-cased, as zxcvbn matches them)."""
    try:
        import config

        province = config.settings.province
    except Exception:  # noqa: BLE001
        province = "86"
    kinds: dict[str, str] = {}
    words: list[str] = []
    user = [*CONTEXT, *([username.strip()] if username and username.strip() else [])]
    for kind, entries in (
        ("user", user),
        ("word", _thai_words(_data(THAI_WORDS_FILE))),
        ("place", _places(_data(_REFERENCE), province)),
    ):
        for w in entries:
            for form in dict.fromkeys((w, kedmanee(w))):
                key = form.lower()
                if key not in kinds:
                    kinds[key] = kind
                    words.append(form)
    return words, kinds


def problem(password: str, username: str | None = None) -> str | None:
    """Why ``password`` is refused (Thai / English), or None when it is good enough."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return f"รหัสผ่านต้องมีอย่างน้อย {MIN_LENGTH} ตัวอักษร / A password needs at least {MIN_LENGTH} characters"
    words, kinds = _dictionary(username)
    with _lock:
        from zxcvbn import zxcvbn  # its word lists are 13 MB: loaded by the first worker that judges a password

        ways = variants(password)
        results = [zxcvbn(v[:_ZXCVBN_MAX], user_inputs=words) for v in ways]
    # the weakest way counts; on a tie the password as typed (its warning is the plainest)
    worst = min(range(len(results)), key=lambda i: (results[i]["guesses"], i))
    result = results[worst]
    if result["score"] >= MIN_SCORE:
        return None
    en = result["feedback"]["warning"]
    th = _THAI.get(en, "")
    found = {
        kinds.get(m.get("matched_word", ""), "word")
        for m in result["sequence"]
        if m.get("dictionary_name") == "user_inputs"
    }
    kind = next((k for k in _WORD_KINDS if k in found), None)
    if kind:
        th, en = _WORD_KINDS[kind]
    elif ways[worst] == _keys(password) and results[0]["score"] >= MIN_SCORE:
        # weak only as the keys pressed: say so
        th = _KEYBOARD[0] + (f" ({th})" if th else "")
        en = _KEYBOARD[1] + (f" ({en.rstrip('.')})" if en else "") + "."
    return (
        f"รหัสผ่านนี้เดาง่ายเกินไป{': ' + th if th else ''} ใช้หลายคำต่อกันที่ไม่ใช่วลีที่พบบ่อยแทน / "
        f"This password is too easy to guess{': ' + en if en else '.'} Use a few uncommon words together instead."
    )


def check(password: str, username: str | None = None) -> None:
    """Raise ``WeakPassword`` saying why, unless ``password`` passes the rule."""
    why = problem(password, username)
    if why:
        raise WeakPassword(why)
