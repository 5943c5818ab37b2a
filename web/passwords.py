"""The password rule, NIST SP 800-63B style: every path that sets a password asks ``check``.

* at least ``MIN_LENGTH`` characters (Thai letters count one each; spaces are fine), no upper limit
  of our own and no composition rules (no "a digit and a symbol");
* not easy to guess: zxcvbn (Dropbox's estimator, its lists of common passwords, words and names
  ship inside the package, so nothing is fetched) must score it at least ``MIN_SCORE`` of 4, i.e.
  about 10^8 guesses. That refuses common passwords (``1234567890``, ``qwertyuiop``), repeats
  (``aaaaaaaaaa``), sequences (``abcdefghij``), keyboard rows, dates, and passwords built on the
  user name or the application's name. A phrase of a few words passes
  (``correct horse battery staple``).

The refusal says why in Thai and English (``WeakPassword``, a ``ValueError``).
"""

from __future__ import annotations

import threading

MIN_LENGTH = 10
MIN_SCORE = 3
_ZXCVBN_MAX = 72  # zxcvbn refuses longer input; the first 72 characters are judged
# words anyone attacking this site would try first (NIST: "context-specific words")
CONTEXT = ("sanyan", "สัญญาณ", "eis", "admin", "password", "รหัสผ่าน")

HINT = {
    "th": f"อย่างน้อย {MIN_LENGTH} ตัวอักษร และเดายาก เช่น หลายคำต่อกัน",
    "en": f"at least {MIN_LENGTH} characters and hard to guess, e.g. a few words together",
}

# zxcvbn's warnings (zxcvbn/feedback.py) in Thai; the English is zxcvbn's own
_THAI = {
    "Straight rows of keys are easy to guess.": "แป้นที่เรียงกันบนแป้นพิมพ์เดาได้ง่าย",
    "Short keyboard patterns are easy to guess.": "รูปแบบแป้นพิมพ์สั้น ๆ เดาได้ง่าย",
    'Repeats like "aaa" are easy to guess.': 'ตัวอักษรซ้ำกัน เช่น "aaa" เดาได้ง่าย',
    'Repeats like "abcabcabc" are only slightly harder to guess than "abc".': 'ชุดตัวอักษรซ้ำกัน เช่น "abcabcabc" เดายากกว่า "abc" เพียงเล็กน้อย',
    'Sequences like "abc" or "6543" are easy to guess.': 'ตัวอักษรหรือตัวเลขเรียงกัน เช่น "abc" หรือ "6543" เดาได้ง่าย',
    "Recent years are easy to guess.": "ปีที่ผ่านมาไม่นานเดาได้ง่าย",
    "Dates are often easy to guess.": "วันที่มักเดาได้ง่าย",
    "This is a top-10 common password.": "เป็นหนึ่งในรหัสผ่านที่ใช้กันมากที่สุด 10 อันดับแรก",
    "This is a top-100 common password.": "เป็นหนึ่งในรหัสผ่านที่ใช้กันมากที่สุด 100 อันดับแรก",
    "This is a very common password.": "เป็นรหัสผ่านที่ใช้กันมาก",
    "This is similar to a commonly used password.": "คล้ายรหัสผ่านที่ใช้กันมาก",
    "A word by itself is easy to guess.": "คำเดียวโดด ๆ เดาได้ง่าย",
    "Names and surnames by themselves are easy to guess.": "ชื่อหรือนามสกุลโดด ๆ เดาได้ง่าย",
    "Common names and surnames are easy to guess.": "ชื่อและนามสกุลที่พบบ่อยเดาได้ง่าย",
}
_lock = threading.Lock()  # zxcvbn keeps the user inputs in a module-level dictionary


class WeakPassword(ValueError):
    """A password the rule refuses; the message is Thai / English."""


def problem(password: str, username: str | None = None) -> str | None:
    """Why ``password`` is refused (Thai / English), or None when it is good enough."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return f"รหัสผ่านต้องมีอย่างน้อย {MIN_LENGTH} ตัวอักษร / A password needs at least {MIN_LENGTH} characters"
    words = [*CONTEXT, *([username.strip()] if username and username.strip() else [])]
    with _lock:
        from zxcvbn import zxcvbn  # its word lists are 13 MB: loaded by the first worker that judges a password

        result = zxcvbn(password[:_ZXCVBN_MAX], user_inputs=words)
    if result["score"] >= MIN_SCORE:
        return None
    en = result["feedback"]["warning"]
    if any(m.get("dictionary_name") == "user_inputs" for m in result["sequence"]):
        th, en = "มีชื่อผู้ใช้หรือชื่อระบบอยู่ในรหัสผ่าน", "It contains the user name or the application's name."
    else:
        th = _THAI.get(en, "")
    return (
        f"รหัสผ่านนี้เดาง่ายเกินไป{': ' + th if th else ''} ใช้หลายคำต่อกันที่ไม่ใช่วลีที่พบบ่อยแทน / "
        f"This password is too easy to guess{': ' + en if en else '.'} Use a few uncommon words together instead."
    )


def check(password: str, username: str | None = None) -> None:
    """Raise ``WeakPassword`` saying why, unless ``password`` passes the rule."""
    why = problem(password, username)
    if why:
        raise WeakPassword(why)
