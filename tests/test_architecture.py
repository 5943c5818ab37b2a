"""Issue 18: the house's rules, read from the code's own imports (ast, nothing run): pages never
import another page or the build; no module reaches into another's private names (nor Dash's);
every words table has Thai and English for each key."""

from __future__ import annotations

import ast
import importlib

import pytest

from tests.conftest import ROOT

PRODUCT = sorted(
    p
    for p in ROOT.rglob("*.py")
    if not {".venv", "tests", "bench", "data", "__pycache__"} & set(p.relative_to(ROOT).parts)
)
PAGES = sorted((ROOT / "pages").glob("*.py"))
FIRST_PARTY = {p.stem for p in ROOT.glob("*.py")} | {p.name for p in ROOT.iterdir() if (p / "__init__.py").exists()}
FIRST_PARTY |= {"pages", "etl", "components"}


def imports(path) -> list[tuple[str, list[str], int]]:
    """(module, names imported from it, line) for every import in the file, nested ones too."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out += [(a.name, [], node.lineno) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            out.append((node.module, [a.name for a in node.names], node.lineno))
    return out


def where(path, line) -> str:
    return f"{path.relative_to(ROOT)}:{line}"


def test_the_checks_see_the_code():
    assert len(PRODUCT) > 50 and len(PAGES) > 20
    assert any(mod == "dash" and "callback" in names for mod, names, _line in imports(ROOT / "pages" / "gpp.py"))


def test_no_page_imports_another_page_or_the_build():
    bad = []
    for p in PAGES:
        for mod, names, line in imports(p):
            targets = [mod] + [f"{mod}.{n}" for n in names]
            if any(t == "pages" or t.startswith("pages.") for t in targets):
                bad.append(f"{where(p, line)} imports {mod} {names}")
            if any(t == "etl.build" or t.startswith("etl.build.") for t in targets):
                bad.append(f"{where(p, line)} imports the build ({mod} {names}): use etl.refresh")
    assert not bad, "\n".join(bad)


def test_no_module_takes_another_modules_private_names():
    """`from x import _name`, or `x._name` on a module imported as x, of our own modules or Dash's."""
    bad = []
    for p in PRODUCT:
        tree = ast.parse(p.read_text(encoding="utf-8"))
        aliases = {}
        for mod, names, line in imports(p):
            ours = mod.split(".")[0] in FIRST_PARTY or mod.split(".")[0] == "dash"
            if any(part.startswith("_") and not part.startswith("__") for part in mod.split(".")):
                bad.append(f"{where(p, line)} imports the private module {mod}")
            for n in names:
                if ours and n.startswith("_") and not n.startswith("__"):
                    bad.append(f"{where(p, line)} imports {mod}.{n}")
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    aliases[a.asname or a.name.split(".")[0]] = a.name
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                for a in node.names:
                    aliases[a.asname or a.name] = f"{node.module}.{a.name}"
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and node.attr.startswith("_")
                and not node.attr.startswith("__")
                and isinstance(node.value, ast.Name)
                and node.value.id in aliases
                and aliases[node.value.id].split(".")[0] in FIRST_PARTY | {"dash"}
            ):
                bad.append(f"{where(p, node.lineno)} uses {aliases[node.value.id]}.{node.attr}")
    assert not bad, "\n".join(bad)


WORDS_TABLES = ["components.i18n"] + [
    f"pages.{p.stem}" for p in PAGES if "\nTEXT = words(" in p.read_text(encoding="utf-8")
]


def words_table(name: str) -> dict:
    """components.i18n's table (key -> (Thai, English)) or a page's TEXT, as {"th": {...}, "en": {...}}."""
    import app  # noqa: F401  (registers the pages, so they import)
    from components import i18n

    if name == "components.i18n":
        return {"th": {k: v[0] for k, v in i18n.STRINGS.items()}, "en": {k: v[1] for k, v in i18n.STRINGS.items()}}
    return importlib.import_module(name).TEXT


def test_every_page_keeps_its_words_in_the_one_table():
    """Every page with words registers them (components.i18n.words), so t("<page>.<key>") reaches
    each, and a page's TEXT is that very table."""
    import app  # noqa: F401
    from components import i18n

    with_words = [p.stem for p in PAGES if "TEXT" in p.read_text(encoding="utf-8")]
    assert len(with_words) == len(WORDS_TABLES) - 1 > 20
    for stem in with_words:
        assert importlib.import_module(f"pages.{stem}").TEXT is i18n.PAGE_WORDS[stem], stem
    assert i18n.t("gpp.title", "en") == "Gross provincial product" and i18n.t("word.fy", "th") == "ปีงบประมาณ"
    with pytest.raises(ValueError, match="same keys"):
        i18n.words("broken", {"th": {"a": "ก", "b": "ข"}, "en": {"a": "A"}})


@pytest.mark.parametrize("name", WORDS_TABLES)
def test_every_words_table_has_thai_and_english_for_each_key(name):
    table = words_table(name)
    assert set(table) == {"th", "en"}, name
    assert set(table["th"]) == set(table["en"]), sorted(set(table["th"]) ^ set(table["en"]))
    for lang in ("th", "en"):
        empty = [k for k, v in table[lang].items() if v in ("", None)]
        assert not empty, (lang, empty)
    has_thai = [v for v in table["th"].values() if any("\u0e00" <= c <= "\u0e7f" for c in str(v))]
    assert has_thai, f"{name}: no Thai words in its Thai table"


def room(path) -> str:
    """A file's room: its top folder, or the module itself at the root."""
    parts = path.relative_to(ROOT).parts
    return parts[0] if len(parts) > 1 else path.stem


def test_no_folder_imports_itself_round_a_circle():
    """Rooms (top folders and root modules) and the imports between them form no cycle. An entry
    point (``__main__.py``: ``python -m etl``) is a leaf nobody imports, so it may reach anywhere."""
    rooms = {room(p) for p in PRODUCT}
    edges: dict[str, set[str]] = {}
    for p in PRODUCT:
        if p.name == "__main__.py":
            continue
        for mod, _names, _line in imports(p):
            target = mod.split(".")[0]
            if target in rooms and target != room(p):
                edges.setdefault(room(p), set()).add(target)
    assert {"web", "ops", "inputs", "etl", "pages", "components"} <= set(edges)  # the checks see the house
    state: dict[str, int] = {}  # 1 = on the path, 2 = done

    def visit(r, path):
        state[r] = 1
        for nxt in sorted(edges.get(r, ())):
            assert state.get(nxt) != 1, " -> ".join([*path, r, nxt])
            if nxt not in state:
                visit(nxt, [*path, r])
        state[r] = 2

    for r in sorted(rooms):
        if r not in state:
            visit(r, [])


def test_one_workflow_engine_serves_entries_and_records():
    """KPI figures (ops.entry), the other templates' rows (ops.records) and a KPI's commentary
    (ops.commentary) go draft -> submitted -> verified -> approved through one engine
    (ops.workflow.Flow): none writes a version, an approval or an upload's rows itself."""
    import ops
    from ops import commentary, entry, records, workflow

    assert isinstance(entry.FLOW, workflow.Flow) and entry.FLOW.table is ops.entries
    assert isinstance(records.FLOW, workflow.Flow) and records.FLOW.table is ops.record_rows
    assert isinstance(commentary.FLOW, workflow.Flow) and commentary.FLOW.table is ops.kpi_comments
    for module in ("entry", "records", "commentary"):
        text = (ROOT / "ops" / f"{module}.py").read_text(encoding="utf-8")
        tables = ("entries", "record_rows", "kpi_comments")
        writes = [f"ops.{t}.{verb}()" for t in tables for verb in ("insert", "update")]
        for own in ("version + 1", "begin_nested", 'status="approved"', *writes):
            assert own not in text, f"ops/{module}.py writes {own!r} itself"
    assert entry.EntryError is records.EntryError is workflow.EntryError  # one set of words for a refusal
