"""Hypothesis: generated cables parse back to what was generated, spans intact."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reviewtool import parse_cable
from tests.core.test_cables_corpus import check_invariants

MARKINGS = ["U", "SBU", "C", "S", "S/NF", "C/NF", "S//NF", "C/REL NATO", "U//FOUO"]
WORDS = st.sampled_from(
    "the minister said that embassy officer noted government talks would proceed "
    "after review of French proposal regarding missile exports and Bertolotti added".split())


@st.composite
def sentences(draw):
    words = draw(st.lists(WORDS, min_size=6, max_size=30))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


@st.composite
def cables(draw):
    n = draw(st.integers(1, 8))
    paras = []
    for i in range(n):
        marking = draw(st.sampled_from(MARKINGS))
        body = " ".join(draw(st.lists(sentences(), min_size=1, max_size=4)))
        # A continuation worded like no paragraph: the same sentence again would be a
        # repeated body, which the parser rightly takes for a duplicate.
        cont = draw(st.one_of(st.none(), sentences().map(lambda t: "Separately, " + t.lower())))
        paras.append((i + 1, marking, body, cont))
    wrap = draw(st.sampled_from([None, 60, 72]))
    sep = draw(st.sampled_from(["\n\n", " \n \n", "\n\n\n"]))

    def fill(text):
        if wrap is None:
            return text
        out, line = [], ""
        for w in text.split(" "):
            if line and len(line) + 1 + len(w) > wrap:
                out.append(line)
                line = w
            else:
                line = f"{line} {w}" if line else w
        out.append(line)
        return "\n".join(out)

    head = (
        "Viewing cable 05TESTPOST1, A GENERATED CABLE\n"
        "Reference ID Created Released Classification Origin\n"
        "05TESTPOST1 2005-01-10 17:42 2011-08-30 01:44 SECRET//NOFORN Embassy Testville\n"
        "S E C R E T TESTPOST 000001 \n\nSIPDIS \n\n"
        "E.O. 12958: DECL: 01/10/2025 \nTAGS: PREL PARM FR\n"
        "SUBJECT: A GENERATED SUBJECT (S) \n\n"
        "Classified By: Political Counselor Jane Q. Doe for reasons 1.4 (b) and (d). \n"
    )
    body = []
    for num, marking, text, cont in paras:
        block = fill(f"{num}. ({marking}) {text}")
        if cont:
            block += sep + fill(cont)
        body.append(block)
    return head + sep + sep.join(body) + "\nDoe\n", paras


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cables())
def test_generated_cables_parse_back(generated):
    text, paras = generated
    c = parse_cable(text)
    check_invariants(c)
    numbered = [p for p in c.paragraphs if p.number]
    assert [int(p.number) for p in numbered] == [p[0] for p in paras]
    assert [p.written for p in numbered] == [p[1] for p in paras]
    conts = [p for p in c.paragraphs if p.number is None]
    assert len(conts) == sum(1 for p in paras if p[3])
    assert all(p.inherited for p in conts)
    assert c.classified_by.reasons == ("1.4(b)", "1.4(d)")
    assert c.classified_by.name == "Jane Q. Doe"
    assert c.signer.value == "Doe"


@settings(max_examples=100, deadline=None)
@given(st.text(min_size=1, max_size=400))
def test_arbitrary_text_never_crashes(text):
    from reviewtool.errors import CableError

    try:
        c = parse_cable("Viewing cable 05X1, T\nE.O. 12958: DECL: 01/01/2020\n" + text)
    except CableError:
        return
    check_invariants(c)
