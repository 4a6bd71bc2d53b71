"""finish_review: the files, their order in the audit log, refusals; and the goldens."""

from __future__ import annotations

import json
import os
import shutil

import pytest

from reviewtool.core.audit import verify
from reviewtool.core.cable.read import read_cable
from reviewtool.core.finish import finish_review
from reviewtool.core.review.review import Review
from reviewtool.core.review.seals import find_seal
from reviewtool.errors import LeakError, ReviewError
from tests.core.handmade import ROOT, RULES_SHA, Clock, term_suggestions
from tests.core.scenarios import ON, paris174, paris1196

GOLDEN = ROOT / "tests" / "data" / "golden"
UPDATE = os.environ.get("REVIEWTOOL_UPDATE_GOLDEN") == "1"


def test_finish_writes_release_report_and_log(tmp_path):
    r = paris174(tmp_path / "rev")
    res = finish_review(r, tmp_path / "out", on=ON)
    assert res.release_path.read_text() == res.release.text
    assert res.report_path.read_text().startswith("# Review report: 05PARIS174")
    assert res.report_path.with_suffix(".html").exists()
    assert res.summary.startswith("05PARIS174: RELEASE IN PART B1, 1.4(B), 1.4(D), B6")
    log = [json.loads(x) for x in res.audit_path.read_text().splitlines()]
    outputs = [e for e in log if e["action"] == "output"]
    assert [e["file"] for e in outputs] == ["05PARIS174.txt", "05PARIS174.report.md"]
    import hashlib

    assert outputs[0]["sha256"] == hashlib.sha256(res.release.text.encode()).hexdigest()
    # the copy's seal covers everything before its own "output" event
    seal_line = next(x for x in res.release.text.splitlines() if x.startswith("Audit seal:"))
    assert f"Audit seal: {outputs[0]['seq'] - 1} events" in seal_line
    seal, where = find_seal(res.audit_path)
    assert where.endswith("05PARIS174.report.md") and seal.count == outputs[1]["seq"] - 1
    assert verify(res.audit_path, seal).ok
    r.close()


def test_finish_refuses_a_leak_and_writes_nothing(tmp_path):
    c = read_cable(ROOT / "sample_cables" / "05PARIS174.txt")
    r = Review.open(tmp_path / "rev", c, term_suggestions(c, ["Bertolotti"]), reviewer="a",
                    rules_sha256=RULES_SHA, clock=Clock())
    r.accept(r.suggestions[0].id)
    for s in r.suggestions[1:]:
        r.reject(s.id)
    with pytest.raises(LeakError, match=r"(?s)refused the release copy of 05PARIS174.*¶2"):
        finish_review(r, tmp_path / "out", on=ON)
    assert not list((tmp_path / "out").glob("*.txt"))
    last = json.loads(r.audit.path.read_text().splitlines()[-1])
    assert last["action"] == "release_refused" and last["leaks"]
    r.close()


def test_a_refused_finish_removes_the_copy_an_earlier_finish_wrote(tmp_path):
    """The TUI's Finish and `apply` alike: after a refusal no older copy stands in the
    output folder to pass for this review's."""
    c = read_cable(ROOT / "sample_cables" / "05PARIS174.txt")
    r = Review.open(tmp_path / "rev", c, term_suggestions(c, ["Bertolotti"]), reviewer="a",
                    rules_sha256=RULES_SHA, clock=Clock())
    r.accept_all()
    first = finish_review(r, tmp_path / "out", on=ON)
    assert first.release_path.exists()
    for s in r.suggestions[1:]:
        r.reject(s.id)  # now "Bertolotti" stands in clear where it is withheld elsewhere
    with pytest.raises(LeakError):
        finish_review(r, tmp_path / "out", on=ON)
    assert not first.release_path.exists()
    r.close()


def test_finish_refuses_pending_unless_allowed(tmp_path):
    c = read_cable(ROOT / "sample_cables" / "05PARIS174.txt")
    r = Review.open(tmp_path / "rev", c, term_suggestions(c, ["In'Trad"]), reviewer="a",
                    rules_sha256=RULES_SHA, clock=Clock())
    with pytest.raises(ReviewError, match=r"13 suggestion\(s\) in 05PARIS174 still pending"):
        finish_review(r, tmp_path / "out", on=ON)
    res = finish_review(r, tmp_path / "out", on=ON, allow_pending=True)
    assert res.release.stamp == "RELEASE IN FULL"
    assert "In'Trad" in res.release.text
    assert "| 05PARIS174-s1 | ¶1 |" in res.report_path.read_text()  # listed as pending
    r.close()


def test_finish_never_overwrites_the_cable(tmp_path):
    src = tmp_path / "05PARIS174.txt"
    shutil.copy(ROOT / "sample_cables" / "05PARIS174.txt", src)
    c = read_cable(src)
    r = Review.open(tmp_path / "rev", c, [], reviewer="a", rules_sha256=RULES_SHA)
    before = src.read_bytes()
    with pytest.raises(ReviewError, match="input cable"):
        finish_review(r, tmp_path, on=ON)
    assert src.read_bytes() == before
    r.close()


@pytest.mark.parametrize("name, scenario", [("05PARIS174", paris174),
                                            ("05PARIS1196", paris1196)])
def test_golden_release_and_report(tmp_path, name, scenario):
    r = scenario(tmp_path / "rev")
    res = finish_review(r, tmp_path / "out", on=ON)
    got = {f"{name}.release.txt": res.release_path.read_text(),
           f"{name}.report.md": res.report_path.read_text()}
    for fname, text in got.items():
        path = GOLDEN / fname
        if UPDATE:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        assert path.read_text() == text, f"{fname} differs (REVIEWTOOL_UPDATE_GOLDEN=1 to renew)"
    r.close()
