"""Issue 16, finding 10: weak passwords are refused on every path that sets one, saying why in Thai
and English; the sign-in lockout and the API's rate limit are counted in the ops store, so two
processes (two workers, two nodes) share one count."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from tests.conftest import ROOT, login
from tests.test_admin import _add, _alert, _save, site  # noqa: F401  (site: the fixture)
from tests.test_auth import PASSWORD

WEAK = {
    "aaaaaaaaaa": "ซ้ำกัน",
    "1234567890": "ใช้กันมาก",
    "abcdefghij": "เรียงกัน",
    "qwertyuiop": "ใช้กันมาก",
    "password123": "ใช้กันมาก",
    "0987654321": "ใช้กันมาก",
    "abcabcabcabc": "ซ้ำกัน",
}


@pytest.mark.parametrize("password,why", WEAK.items())
def test_weak_passwords_are_refused_saying_why(password, why):
    from web import passwords

    msg = passwords.problem(password)
    assert msg and msg.startswith("รหัสผ่านนี้เดาง่ายเกินไป") and why in msg and "too easy to guess" in msg
    with pytest.raises(ValueError, match="เดาง่ายเกินไป"):
        passwords.check(password)


def test_length_user_name_and_good_phrases():
    from web import passwords

    assert "อย่างน้อย 10" in passwords.problem("Xq7#zLm2")
    assert "ชื่อผู้ใช้" in passwords.problem("somchai.k2567", "somchai.k")  # the user name in the password
    assert passwords.problem("sanyan2568!")  # the application's name
    long = "the durian farmers of lang suan count rain in millimetres before the monthly provincial meeting"
    for good in (PASSWORD, "a brand new secret", "ผู้ว่าราชการจังหวัดชุมพร", long):  # > 72 characters too
        assert passwords.problem(good, "boss") is None, good


def test_the_cli_refuses_a_weak_password(tmp_path):
    env = {**os.environ, "SANYAN_OPS_URL": f"sqlite:///{tmp_path / 'ops.sqlite'}", "SANYAN_DATA_DIR": str(tmp_path)}

    def etl(*a, stdin):
        return subprocess.run(
            [sys.executable, "-m", "etl", "user", *a, "--password-stdin"],
            cwd=ROOT,
            env=env,
            input=stdin + "\n",
            capture_output=True,
            text=True,
            timeout=120,
        )

    r = etl("add", "boss", "--role", "admin", stdin="1234567890")
    assert r.returncode == 2 and "เดาง่ายเกินไป" in r.stdout and "common password" in r.stdout, r.stdout
    assert etl("add", "boss", "--role", "admin", stdin=PASSWORD).returncode == 0
    r = etl("passwd", "boss", stdin="aaaaaaaaaa")
    assert r.returncode == 2 and "ซ้ำกัน" in r.stdout, r.stdout


def test_admin_page_refuses_a_weak_password(site):  # noqa: F811  (the parameter is the fixture imported above)
    from web import auth

    app, eng = site
    c = app.server.test_client()
    assert login(c, "a_admin", PASSWORD).status_code == 302
    text, role, _ = _alert(_add(c, app, "weakling", "1234567890"), "admin-add-msg")
    assert "เดาง่ายเกินไป" in text and role == "alert", text
    assert auth._load(eng, username="weakling") is None
    text, role, _ = _alert(_save(c, app, "a_viewer", password="aaaaaaaaaa"), "admin-edit-msg")
    assert "เดาง่ายเกินไป" in text and role == "alert", text
    assert auth.check_password(eng, "a_viewer", PASSWORD) is not None  # unchanged


def test_counters_on_both_stores(ops_url, monkeypatch):
    """An atomic count per key and window; a window that has passed starts again; expired rows go."""
    import sqlalchemy as sa

    import ops

    monkeypatch.setenv("SANYAN_SECRET_KEY", "counter-tests-" + "k" * 30)
    eng = ops.engine(ops_url)
    a, b = ops.counter_key("login", "boss", "203.0.113.7"), ops.counter_key("login", "boss", "198.51.100.4")
    assert a != b and "203.0.113.7" not in a  # the address is not kept
    assert [ops.counter_hit(eng, a, 60, now=1000.0 + i) for i in range(3)] == [1, 2, 3]
    assert ops.counter_hit(eng, b, 60, now=1010.0) == 1
    assert ops.counter_hit(eng, a, 60, now=1061.0) == 1  # a's window (from 1000) is over
    assert ops.counter_hit(eng, b, 60, now=1071.0) == 1  # and b's: both restarted
    ops.counter_hit(eng, "api:x", 5, now=1072.0)
    ops.counter_hit(eng, a, 60, now=1078.0)  # prunes api:x (expired at 1077)
    with eng.connect() as con:
        assert sorted(con.execute(sa.select(ops.counters.c.counter)).scalars()) == sorted([a, b])
    ops.counter_clear(eng, a)
    assert ops.counter_hit(eng, a, 60, now=1079.0) == 1


OTHER_WORKER = """
import json, re
import app
from web import api
api.RATE_LIMIT = 4
c = app.server.test_client()
token = re.search(r'name="csrf" value="([^"]+)"', c.get("/login").get_data(as_text=True)).group(1)
codes = [c.post("/login", data={"username": "u_shared", "password": "wrong password no. %d" % i, "csrf": token},
                headers={"Origin": "http://localhost"}).status_code for i in range(3)]
codes += [c.get("/api/v1").status_code for _ in range(3)]
print(json.dumps(codes))
"""


def test_lockout_and_api_limit_are_shared_by_two_processes(built_warehouse, ops_url, monkeypatch):
    """Another process (a second worker or node) fails to sign in 3 times and calls the API 3 times;
    this one then has 2 tries left and 1 call under a limit of 4: the 6th try and the 5th call are
    refused (429). With counts kept in each process's memory both would pass."""
    import app
    import ops
    from web import api, auth

    env = {
        "SANYAN_WAREHOUSE": str(built_warehouse),
        "SANYAN_OPS_URL": ops_url,
        "SANYAN_SECRET_KEY": "shared-counter-tests-" + "k" * 30,
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    monkeypatch.setattr(api, "RATE_LIMIT", 4)
    auth.add_user(ops.engine(), "u_shared", PASSWORD, "viewer")
    out = subprocess.run(
        [sys.executable, "-c", OTHER_WORKER],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert json.loads(out.stdout.strip().splitlines()[-1]) == [200, 200, 200, 200, 200, 200]
    c = app.server.test_client()
    assert [login(c, "u_shared", f"wrong again no. {i}").status_code for i in range(2)] == [200, 200]
    assert login(c, "u_shared", PASSWORD).status_code == 429  # the 6th try, the right password
    assert c.get("/api/v1").status_code == 200  # the 4th call
    assert c.get("/api/v1").status_code == 429  # the 5th


def test_production_hashes_use_the_rfc_9106_profile(monkeypatch):
    """The suite hashes with argon2's cheapest parameters (tests/conftest.py); the app by default,
    and anything else named, does not."""
    import config

    monkeypatch.delenv("SANYAN_PASSWORD_HASH", raising=False)
    assert config.settings.password_hash == "RFC_9106_LOW_MEMORY"
    monkeypatch.setenv("SANYAN_PASSWORD_HASH", "md5")
    with pytest.raises(ValueError):
        _ = config.settings.password_hash
    out = subprocess.run(
        [sys.executable, "-c", "from web import auth; print(auth.hash_password('correct horse battery staple'))"],
        cwd=ROOT,
        env={k: v for k, v in os.environ.items() if k != "SANYAN_PASSWORD_HASH"},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout
    assert "$argon2id$v=19$m=65536,t=3,p=4$" in out


# Issue 27, point 3: Thai passwords are judged too (keyboard runs on the Kedmanee layout, common
# Thai words and phrases, place and office names, Buddhist-era years), and refused in Thai.
WEAK_THAI = {
    "ๆไำพะัีรนยบ": "แป้นพิมพ์",  # qwertyuiop[ on the Thai keyboard
    "ๅ/-ภถุึคตจ": "แป้นพิมพ์",  # its number row: 1234567890
    "ฟหกดเ้่าสวง": "แป้นพิมพ์",  # its home row: asdfghjkl;'
    "รักคุณที่สุด": "คำหรือวลีภาษาไทยที่ใช้กันบ่อย",
    "ประเทศไทย1234": "คำหรือวลีภาษาไทยที่ใช้กันบ่อย",
    "ผู้ดูแลระบบ1": "คำหรือวลีภาษาไทยที่ใช้กันบ่อย",
    "เกษตรจังหวัด": "ชื่อหน่วยงาน",
    "Chumphon2569": "ชื่อจังหวัด",  # the province and a Buddhist-era year
}


@pytest.mark.parametrize("password,why", WEAK_THAI.items())
def test_weak_thai_passwords_are_refused_saying_why_in_thai(password, why):
    from web import passwords

    msg = passwords.problem(password, "boss")
    assert msg and msg.startswith("รหัสผ่านนี้เดาง่ายเกินไป: ") and why in msg and "too easy to guess:" in msg, msg
    with pytest.raises(ValueError, match="เดาง่ายเกินไป"):
        passwords.check(password, "boss")


def test_strong_thai_and_english_phrases_pass_judged_every_way():
    from web import passwords

    thai = "ช้างเผือกกินมะม่วงใต้ต้นไม้ริมคลอง7"
    for good in (thai, "ทุเรียนหมอนทองหลังสวน", "correct horse battery staple", "a brand new secret"):
        assert passwords.problem(good, "boss") is None, good
    # the Thai phrase was also judged as the keys pressed on the Kedmanee keyboard
    assert passwords.variants(thai)[-1] == passwords.kedmanee(thai, layout_only=True)
    assert passwords.variants("Chumphon2569") == ["Chumphon2569", "Chumphon2026"]  # B.E. 2569 is 2026


def test_kedmanee_maps_thai_letters_to_their_keys():
    from web import passwords

    assert passwords.kedmanee("ๆไำพะัีรนยบ") == "qwertyuiop["
    assert passwords.kedmanee("ฟหกดเ้่าสวง") == "asdfghjkl;'"
    assert passwords.kedmanee("ผปแอิืทมใฝ") == "zxcvbnm,./"
    assert passwords.kedmanee("ๅ/-ภถุึคตจ") == "1/-4567890"  # "/" and "-" may be Latin keys
    assert passwords.kedmanee("ๅ/-ภถุึคตจ", layout_only=True) == "1234567890"  # typed in Thai mode
    assert passwords.kedmanee('๐"ฎฑธํ๊ณฯญฐ', layout_only=True) == "QWERTYUIOP{"  # shifted
    assert passwords.kedmanee("ฤฆฏโฌ็๋ษศซ") == "ASDFGHJKL:"
    assert passwords.kedmanee("+๑๒๓๔ู฿๕๖๗๘๙", layout_only=True) == "!@#$%^&*()_+"
    assert passwords.kedmanee("สวัสดี abc 123") == "l;ylfu abc 123"  # anything else stays
    assert len(set(passwords.KEDMANEE.values())) == len(passwords.KEDMANEE)  # one key per letter
