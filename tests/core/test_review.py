"""Review state: decisions, same-everywhere, dispositions, undo/redo, persistence, kill."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import textwrap

import pytest

from reviewtool.core.audit import verify
from reviewtool.core.cable.parse import parse_cable
from reviewtool.core.review.exchange import export_review, import_decisions
from reviewtool.core.review.folder import ReviewFolder
from reviewtool.core.review.model import normalize_text, occurrence_pattern
from reviewtool.core.review.review import Review
from reviewtool.errors import ReviewError
from tests.core.handmade import ROOT, RULES_SHA, Clock, cable, term_suggestions
from tests.core.rulehelp import terms_file_rules


@pytest.fixture
def paris(tmp_path):
    c = cable("05PARIS174")
    sugs = term_suggestions(c, ["Bertolotti", "In'Trad"])
    r = Review.open(tmp_path, c, sugs, reviewer="alice", rules_sha256=RULES_SHA, clock=Clock())
    yield r
    r.close()


def reopen(r: Review, reviewer: str = "alice", **kw) -> Review:
    r.close()
    return Review.open(r.folder, r.cable, kw.pop("suggestions", r.suggestions),
                       reviewer=reviewer, rules_sha256=kw.pop("rules", RULES_SHA),
                       clock=Clock("2026-11-24T09:00:00+00:00"))


def test_new_review_is_all_pending(paris):
    assert paris.progress() == (0, len(paris.suggestions))
    assert paris.pending() == paris.suggestions
    assert paris.redactions() == []
    assert paris.paragraph_status(0) == "to review"
    assert paris.decision(paris.suggestions[0].id) is None


def test_accept_reject_record_reviewer_time_and_codes(paris):
    s0, s1 = paris.suggestions[:2]
    assert paris.accept(s0.id, codes=["(b)(6)", "(b)(7)(C)"], note="named source") == [s0.id]
    assert paris.reject(s1.id, note="public figure") == [s1.id]
    d0, d1 = paris.decision(s0.id), paris.decision(s1.id)
    assert (d0.status, d0.codes, d0.note, d0.reviewer) == (
        "accept", ("(b)(6)", "(b)(7)(C)"), "named source", "alice")
    assert d0.time.isoformat().startswith("2026-11-23T09:")
    assert (d1.status, d1.note) == ("reject", "public figure")
    [red] = paris.redactions()
    assert (red.id, red.start, red.end, red.reason) == (s0.id, s0.start, s0.end, "named source")


def test_set_codes_before_and_after_deciding(paris):
    s0, s1 = paris.suggestions[:2]
    paris.set_codes(s0.id, ["(b)(3)"])  # pending: an override used when accepted
    assert paris.decision(s0.id) is None
    paris.accept(s0.id)
    assert paris.decision(s0.id).codes == ("(b)(3)",)
    paris.accept(s1.id)
    paris.set_codes(s1.id, ["(b)(6)", "(b)(7)(C)"])
    paris.set_note(s1.id, "reviewer's reason")
    d = paris.decision(s1.id)
    assert (d.codes, d.note) == (("(b)(6)", "(b)(7)(C)"), "reviewer's reason")
    with pytest.raises(ReviewError, match="exemption code"):
        paris.set_codes(s1.id, [])


def test_accept_everywhere_records_each_occurrence(paris):
    text = paris.cable.text
    first = paris.suggestions[0]
    assert first.text == "Bertolotti"
    # Drop most suggestions so some occurrences have none: they become manual redactions.
    c = paris.cable
    few = [s for s in paris.suggestions if s.text != "Bertolotti"] + [first]
    r = Review.open(paris.folder / "few", c, sorted(few, key=lambda s: s.start),
                    reviewer="alice", rules_sha256=RULES_SHA, clock=Clock())
    ids = r.accept_everywhere(first.id, note="same person")
    assert ids[0] == first.id
    body_hits = [m for m in occurrence_pattern("bertolotti").finditer(text)
                 if c.paragraph_at(m.start()) is not None]
    assert len(ids) == len(body_hits) > 10
    assert all(i.startswith("m") for i in ids[1:])
    assert all(r.decision(i).origin == first.id for i in ids[1:])
    assert {(x.start, x.end) for x in r.redactions()} == {(m.start(), m.end()) for m in body_hits}
    # one undo step takes the whole group back, redo restores it with the same ids
    assert r.undo() and r.redactions() == []
    assert r.redo() and sorted(x.id for x in r.redactions()) == sorted(ids)
    r.close()


def test_accept_everywhere_uses_existing_suggestions(paris):
    first = paris.suggestions[0]
    ids = paris.accept_everywhere(first.id)
    same = [s.id for s in paris.suggestions if s.text == "Bertolotti"]
    assert ids == same  # every occurrence already had a suggestion
    assert all(paris.decision(i).accepted for i in same)
    assert all(paris.decision(s.id) is None for s in paris.suggestions if s.id not in same)


@pytest.mark.parametrize("needle, hay, hits", [
    ("In'Trad", "firm In'Trad and in'trad,", 2),
    ("David  Bertolotti", "David\n Bertolotti  and DAVID BERTOLOTTI", 2),
    ("Bert", "Bertolotti and Bert.", 1),  # whole words only
    ("POC", "(POC) POCs", 1),
])
def test_occurrence_pattern(needle, hay, hits):
    assert len(occurrence_pattern(needle).findall(hay)) == hits


def test_normalize_text():
    assert normalize_text(" David\n  BERTOLOTTI \\\n") == "david bertolotti"


def test_manual_redactions_and_validation(paris):
    text = paris.cable.text
    start = text.index("Charles de  Gaulle")
    mid = paris.add_manual(start, start + len("Charles de  Gaulle"), ["(b)(6)"], "place")
    assert mid == "m1"
    assert paris.decision(mid).accepted
    assert paris.paragraph_status(paris.cable.paragraph_at(start).index) == "to review"
    paris.remove_manual(mid)
    assert paris.redactions() == []
    assert paris.add_manual(start, start + 7, ["(b)(6)"]) == "m2"  # ids are never reused
    for bad in [(5, 5), (-1, 3), (0, len(text) + 1)]:
        with pytest.raises(ReviewError, match="span"):
            paris.add_manual(*bad, ["(b)(6)"])
    with pytest.raises(ReviewError, match="code"):
        paris.add_manual(start, start + 7, [])


def test_dispositions_and_status(paris):
    c = paris.cable
    ps = paris.paragraph_suggestions(0)
    for s in ps:
        paris.reject(s.id)
    assert paris.paragraph_status(0) == "released"
    paris.accept(ps[0].id)
    assert paris.paragraph_status(0) == "in part"
    with pytest.raises(ReviewError, match="cannot be released in full"):
        paris.dispose(0, "release")
    paris.dispose(2, "withhold", ["(b)(1)", "1.4(d)"])
    assert paris.paragraph_status(2) == "withheld"
    assert paris.disposition(2) == "withhold"
    assert all(paris.decision(s.id) is None for s in paris.paragraph_suggestions(2))
    assert not any(s.paragraph == 2 for s in paris.pending())  # settled by the paragraph
    red = [r for r in paris.redactions() if r.kind == "paragraph"]
    assert [(r.id, r.start, r.end, r.codes) for r in red] == [
        ("p2", c.paragraphs[2].text_start, c.paragraphs[2].end, ("(b)(1)", "1.4(d)"))]
    paris.dispose(5, "withhold")  # codes default to its suggestions'
    assert paris.disposition_record(5).codes == ("(b)(1)", "(b)(6)", "1.4(b)", "1.4(d)")
    paris.dispose(2, None)
    assert paris.disposition(2) is None
    paris.dispose(1, "release")  # rejects nothing by itself: pending ones are settled by it
    assert paris.paragraph_status(1) == "released" and not any(
        s.paragraph == 1 for s in paris.pending())
    paris.accept(paris.paragraph_suggestions(1)[0].id)  # withholding wins over "release"
    assert paris.paragraph_status(1) == "in part"
    assert any(r.paragraph == 1 for r in paris.redactions())
    with pytest.raises(ReviewError, match="unknown disposition"):
        paris.dispose(1, "shred")
    with pytest.raises(ReviewError, match="no paragraph"):
        paris.dispose(99, "part")


def test_undo_redo_survive_restart(paris):
    s0, s1, s2 = paris.suggestions[:3]
    paris.accept(s0.id)
    paris.reject(s1.id)
    paris.accept(s2.id)
    assert paris.undo()
    r = reopen(paris)
    assert r.decision(s2.id) is None and r.decision(s1.id).status == "reject"
    assert r.can_redo
    assert r.redo() and r.decision(s2.id).accepted
    assert r.undo() and r.undo() and r.undo() and not r.undo()
    assert r.progress()[0] == 0
    r.accept(s1.id)  # a new action clears the redo stack
    assert not r.redo()
    r.close()


def test_position_and_settings_persist(paris):
    paris.position = 4
    paris.settings["case_no"] = "F-2026-00001"
    paris.settings.update(doc_no="C0001")
    r = reopen(paris)
    assert r.position == 4
    assert (r.settings["case_no"], r.settings["doc_no"]) == ("F-2026-00001", "C0001")
    r.position = 999
    assert r.position == len(r.cable.paragraphs) - 1
    r.close()


def test_changed_cable_or_rules_refused(paris):
    paris.accept(paris.suggestions[0].id)
    paris.close()
    edited = parse_cable(paris.cable.text.replace("Leach", "Leech"), source="x.txt")
    with pytest.raises(ReviewError, match=r"cable 05PARIS174 changed.*sha256"):
        Review.open(paris.folder, edited, [], reviewer="alice", rules_sha256=RULES_SHA)
    with pytest.raises(ReviewError, match="rule sets changed"):
        Review.open(paris.folder, paris.cable, [], reviewer="alice", rules_sha256="cd" * 32)


def test_resume_keeps_stored_suggestions(paris):
    sid = paris.suggestions[0].id
    paris.accept(sid)
    r = reopen(paris, suggestions=[])
    assert r.suggestions_changed
    assert [s.id for s in r.suggestions] == [s.id for s in paris.suggestions]
    assert r.decision(sid).accepted
    r.close()


def test_export_import_roundtrip(paris, tmp_path):
    s0, s1 = paris.suggestions[:2]
    paris.accept(s0.id, codes=["(b)(6)"], note="n")
    paris.reject(s1.id)
    start = paris.cable.text.index("Charles de")
    paris.add_manual(start, start + 10, ["(b)(6)"])
    paris.dispose(4, "withhold", ["(b)(1)", "1.4(b)"])
    data = export_review(paris)
    path = tmp_path / "decisions.json"
    path.write_text(json.dumps(data))
    other = Review.open(tmp_path / "other", paris.cable, paris.suggestions, reviewer="bob",
                        rules_sha256=RULES_SHA, clock=Clock())
    assert import_decisions(other, path) == 4
    assert [(r.kind, r.start, r.end, r.codes) for r in other.redactions()] == [
        (r.kind, r.start, r.end, r.codes) for r in paris.redactions()]
    assert other.decision(s1.id).status == "reject"
    with pytest.raises(ReviewError, match="no suggestion 'zz'"):
        import_decisions(other, {"cable": "05PARIS174", "decisions": [{"target": "zz"}]})
    with pytest.raises(ReviewError, match="other rule sets"):
        import_decisions(other, {**data, "rules_sha256": "9" * 64})
    with pytest.raises(ReviewError, match="another version"):
        import_decisions(other, {**data, "cable_sha256": "0" * 64})
    bad = tmp_path / "bad.json"
    bad.write_text("{\n  oops")
    with pytest.raises(ReviewError, match=r"bad.json:2:3: not JSON"):
        import_decisions(other, bad)
    other.close()


def test_audit_log_follows_every_action(paris):
    s0 = paris.suggestions[0]
    paris.accept(s0.id)
    paris.undo()
    paris.dispose(1, "part")
    lines = [json.loads(x) for x in paris.audit.path.read_text().splitlines()]
    actions = [x["action"] for x in lines]
    assert actions[0] == "open"
    assert actions.count("suggested") == len(paris.suggestions)
    assert actions[-3:] == ["accept", "undo", "dispose"]
    acc = lines[-3]
    assert acc["span"] == [s0.start, s0.end] and acc["paragraph"] == "¶1"
    assert acc["rules_sha256"] == RULES_SHA and acc["codes"] == ["(b)(6)"]
    assert "text" not in acc and len(acc["text_sha256"]) == 64
    assert "Bertolotti" not in paris.audit.path.read_text()
    res = verify(paris.audit.path, paris.seal)
    assert res.ok and res.count == len(lines)


def test_internal_log_keeps_text(tmp_path):
    c = cable("05PARIS174")
    r = Review.open(tmp_path, c, term_suggestions(c, ["Bertolotti"]), reviewer="a",
                    rules_sha256=RULES_SHA, internal_log=True)
    r.accept(r.suggestions[0].id)
    last = json.loads(r.audit.path.read_text().splitlines()[-1])
    assert last["text"] == "Bertolotti"
    r.close()


def test_audit_file_repaired_from_store_after_a_kill(paris):
    paris.accept(paris.suggestions[0].id)
    lines = paris.audit.path.read_text().splitlines(keepends=True)
    paris.audit.path.write_text("".join(lines[:-1]))  # as if killed between commit and append
    r = reopen(paris)
    assert r.audit.path.read_text().splitlines(keepends=True) == lines
    r.close()


def test_folder_tracks_cables_and_last(tmp_path):
    folder = ReviewFolder(tmp_path)
    assert folder.cables() == [] and folder.last_cable is None
    for name in ("05PARIS174", "05PARIS1196"):
        c = cable(name)
        folder.open(c, term_suggestions(c, ["Bertolotti"]), reviewer="a",
                    rules_sha256=RULES_SHA).close()
    assert folder.cables() == ["05PARIS1196", "05PARIS174"]
    assert folder.last_cable == "05PARIS1196"
    folder.last_cable = "05PARIS174"
    assert ReviewFolder(tmp_path).last_cable == "05PARIS174"
    assert folder.info("05PARIS174")["cable_sha256"] == cable("05PARIS174").sha256


def test_reviewer_required(tmp_path):
    with pytest.raises(ReviewError, match="reviewer"):
        Review.open(tmp_path, cable("05PARIS174"), [], reviewer=" ", rules_sha256=RULES_SHA)


_WORKER = textwrap.dedent("""
    import sys
    sys.path.insert(0, {root!r})
    from tests.core.handmade import RULES_SHA, cable, term_suggestions
    from reviewtool.core.review.review import Review
    c = cable("05PARIS174")
    r = Review.open({folder!r}, c, term_suggestions(c), reviewer="k", rules_sha256=RULES_SHA)
    for i, s in enumerate(r.suggestions):
        (r.accept if i % 3 else r.reject)(s.id)
        r.position = s.paragraph
        print(s.id, flush=True)
    print("DONE", flush=True)
    import time
    time.sleep(60)
""")


def test_kill_mid_review_loses_nothing(tmp_path):
    script = _WORKER.format(root=str(ROOT), folder=str(tmp_path))
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
    committed = []
    try:
        for line in proc.stdout:
            committed.append(line.strip())
            if len(committed) == 12:
                proc.send_signal(signal.SIGKILL)
                break
    finally:
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    assert "DONE" not in committed
    c = cable("05PARIS174")
    r = Review.open(tmp_path, c, term_suggestions(c), reviewer="k", rules_sha256=RULES_SHA)
    decided = [s.id for s in r.suggestions if r.decision(s.id) is not None]
    assert decided[: len(committed)] == committed  # every committed decision is there
    assert len(decided) in (len(committed), len(committed) + 1)  # at most one in flight
    last = r.suggestion(decided[-1])
    assert r.position in (last.paragraph, r.suggestion(committed[-1]).paragraph)
    assert verify(r.audit.path, r.seal).ok
    # and the review goes on where it stopped
    nxt = r.pending()[0]
    r.accept(nxt.id)
    assert r.decision(nxt.id).accepted
    r.close()


def test_accept_all_is_one_step_of_many_decisions(paris):
    first = paris.suggestions[0].id
    paris.reject(first)
    ids = paris.accept_all()
    assert first not in ids and len(ids) == len(paris.suggestions) - 1
    assert all(paris.decision(i).accepted for i in ids) and paris.pending() == []
    accepts = [x for x in paris.audit.path.read_text().splitlines() if '"action":"accept"' in x]
    assert len(accepts) == len(ids)  # each its own audit line
    assert paris.undo() and len(paris.pending()) == len(ids)


@pytest.mark.parametrize("given, stored", [
    (["b6"], ("(b)(6)",)),
    (["B1", "1.4 (d)", "b1"], ("(b)(1)", "1.4(d)")),
    (["AGENCY-X"], ("AGENCY-X",)),  # a rule set's own code is kept as written
])
def test_codes_are_normalized(paris, given, stored):
    sid = paris.suggestions[0].id
    paris.accept(sid, codes=given)
    assert paris.decision(sid).codes == stored


def _never() -> list:
    raise AssertionError("the engine ran for a review that was only resumed")


def test_suggestions_as_a_function_run_only_when_the_review_is_created(tmp_path):
    c = cable("05PARIS174")
    sugs = term_suggestions(c, ["Bertolotti", "In'Trad"])
    calls = []

    def engine():
        calls.append(1)
        return sugs

    r = Review.open(tmp_path, c, engine, reviewer="alice", rules_sha256=RULES_SHA, clock=Clock())
    assert calls == [1]
    assert (r.resumed, r.suggestions_changed) == (False, False)
    assert [s.id for s in r.suggestions] == [s.id for s in sugs]
    r.accept(sugs[0].id)
    r.close()
    # Resumed with the same cable and rules: the stored suggestions, the function not called.
    r = ReviewFolder(tmp_path).open(c, _never, reviewer="bob", rules_sha256=RULES_SHA,
                                    clock=Clock("2026-11-24T09:00:00+00:00"))
    assert (r.resumed, r.suggestions_changed) == (True, False)
    assert [(s.id, s.start, s.end) for s in r.suggestions] == [
        (s.id, s.start, s.end) for s in sugs]
    assert r.decision(sugs[0].id).accepted
    assert r.progress() == (1, len(sugs))
    r.close()
    assert ReviewFolder(tmp_path).last_cable is not None


def test_suggestions_as_a_function_changed_rules_still_refused(paris):
    paris.close()
    with pytest.raises(ReviewError, match="rule sets changed"):
        Review.open(paris.folder, paris.cable, _never, reviewer="alice",
                    rules_sha256="cd" * 32)


def test_resumed_with_a_list_compares_it(paris):
    same = reopen(paris)
    assert (same.resumed, same.suggestions_changed) == (True, False)
    changed = reopen(same, suggestions=same.suggestions[1:])
    assert (changed.resumed, changed.suggestions_changed) == (True, True)
    changed.close()


def test_audit_lines_carry_the_cable_hash(paris):
    paris.accept(paris.suggestions[0].id)
    lines = [json.loads(x) for x in paris.audit.path.read_text().splitlines()]
    assert {x["cable_sha256"] for x in lines} == {paris.cable.sha256}


def test_store_transaction_is_all_or_nothing(tmp_path):
    """`Store.transaction` commits the whole block or, on any exception, none of it."""
    from reviewtool.core.review.store import Store

    store = Store(tmp_path / "x.review.sqlite")
    with store.transaction():
        store.set_meta("a", "1")
    with pytest.raises(RuntimeError), store.transaction():
        store.set_meta("a", "2")
        store.set_meta("b", "3")
        raise RuntimeError("killed mid-action")
    assert store.all_meta() == {"a": "1"}
    store.close()


def test_review_summary_is_plain_data(paris):
    """The facts a report states, read once from the review, without the store."""
    from reviewtool.core.review.model import ParagraphStatus
    from reviewtool.core.review.outcome import review_summary

    s1 = paris.suggestions[0]
    paris.accept(s1.id)
    paris.dispose(5, "withhold", ["(b)(1)"])
    summary = review_summary(paris)
    assert (summary.decided, summary.total) == paris.progress()
    assert [p.id for p in summary.pending] == [s.id for s in paris.pending()]
    assert summary.paragraphs[5].status == ParagraphStatus.WITHHELD == "withheld"
    assert summary.paragraphs[5].codes == ("(b)(1)",)
    assert summary.reviewers == tuple(paris.reviewers())
    assert summary.time_spent == paris.time_spent()


def test_open_store_is_read_only(tmp_path):
    """A store opened for a report or verification refuses every write, and opening it
    appends nothing to a log cut short (the evidence stays)."""
    from reviewtool.core.review.folder import open_store
    from tests.core.scenarios import paris174

    paris174(tmp_path).close()
    store, log = tmp_path / "05PARIS174.review.sqlite", tmp_path / "05PARIS174.audit.jsonl"
    log.write_text("".join(log.read_text().splitlines(keepends=True)[:-2]))
    before = (store.read_bytes(), log.read_bytes())
    review = open_store(store)
    seal = review.seal
    try:
        assert seal.count == review.audit.seal.count + 2
        sid = review.suggestions[0].id
        for write in (lambda: review.reject(sid), review.undo,
                      lambda: setattr(review, "position", 1),
                      lambda: review.log_event("output")):
            with pytest.raises(ReviewError, match="read-only"):
                write()
    finally:
        review.close()
    assert (store.read_bytes(), log.read_bytes()) == before
    assert "truncated" in verify(log, seal).problems[0].message


def test_open_store_refuses_a_renamed_store(tmp_path):
    from reviewtool.core.review.folder import open_store
    from tests.core.scenarios import paris174

    paris174(tmp_path).close()
    moved = tmp_path / "other.review.sqlite"
    (tmp_path / "05PARIS174.review.sqlite").rename(moved)
    with pytest.raises(ReviewError, match="under another name"):
        open_store(moved)
    assert not (tmp_path / "05PARIS174.review.sqlite").exists()


def test_a_review_refuses_to_resume_after_a_terms_file_edit(tmp_path):
    """The rules hash covers the terms files a rule set reads: a review begun under one
    list does not resume silently under an edited one."""
    from reviewtool.core.rules.load import load_rules
    from reviewtool.core.suggest.engine import suggest

    rules = terms_file_rules(tmp_path)
    c = cable("05PARIS174")
    before = load_rules([rules])
    Review.open(tmp_path / "rev", c, lambda: suggest(c, before), reviewer="j.smith",
                rules_sha256=before.sha256, clock=Clock()).close()
    (rules / "names.txt").write_text("Bertolotti\nIn'Trad\n")
    after = load_rules([rules])
    with pytest.raises(ReviewError, match="rule sets changed since the review"):
        Review.open(tmp_path / "rev", c, lambda: suggest(c, after), reviewer="j.smith",
                    rules_sha256=after.sha256, clock=Clock())
