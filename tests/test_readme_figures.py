"""The README quotes no figure that can go stale: its counts are made by tools/readme_figures.py
and equal what the demo warehouse serves now, and no timing stands outside the script's markers
(timings are the script's own measurements, kept in docs/performance.md otherwise)."""

from __future__ import annotations

import importlib.util
import re

from tests.conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def _script():
    spec = importlib.util.spec_from_file_location("readme_figures", ROOT / "tools" / "readme_figures.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_every_count_the_readme_quotes_is_what_the_demo_serves():
    figs = _script()
    quoted = {m["name"]: m["value"] for m in figs.INLINE.finditer(README)}
    counts = figs.counts()
    assert set(counts) <= set(quoted), set(counts) - set(quoted)  # each count is quoted, in its marker
    stale = {k: (quoted[k], v) for k, v in counts.items() if quoted[k] != v}
    assert not stale, f"run `make readme-figures`: {stale}"


def test_no_timing_outside_the_scripts_markers():
    figs = _script()
    text = figs.BLOCK.sub("", figs.INLINE.sub("", README))
    loose = [
        line
        for line in text.splitlines()
        if re.search(r"\d(?:\.\d+)?\s?(?:ms|s|seconds)\b", line)  # a measured time (a rule's "15 minutes" is not)
    ]
    assert not loose, loose
    blocks = {m["name"] for m in figs.BLOCK.finditer(README)}
    assert blocks == {"make-run"}
    assert "ready, open:" in README[README.index("<!--fig-block:make-run-->") :].split("<!--/fig-block-->")[0]
