from datetime import date

import pytest

from reviewtool import declassification_status, parse_cable
from reviewtool.core.cable.declass import automatic_date
from tests.conftest import sample_text

HEAD = ("Viewing cable 05TEST1, T\nReference ID Created Released Classification Origin\n"
        "05TEST1 2005-01-10 17:42 2011-08-30 01:44 {cls} Embassy Paris\n"
        "E.O. 12958: {decl} \nTAGS: PREL\nSUBJECT: TEST\n\n1. (C) Text of the cable.\n")

CASES = [
    # classification, E.O. instruction, on, status, date
    ("CONFIDENTIAL", "DECL: 01/10/2015", date(2026, 11, 23), "passed", date(2015, 1, 10)),
    ("CONFIDENTIAL", "DECL: 01/10/2035", date(2026, 11, 23), "scheduled", date(2035, 1, 10)),
    ("SECRET", "DECL: 1.6X1", date(2026, 11, 23), "exempt", None),
    ("SECRET", "DECL: 25X1-HUMAN", date(2026, 11, 23), "exempt", None),
    ("SECRET", "DECL: 50X1-HUM", date(2026, 11, 23), "exempt", None),
    ("SECRET", "DECL: X1", date(2026, 11, 23), "exempt", None),
    ("UNCLASSIFIED", "N/A", date(2026, 11, 23), "unclassified", None),
    ("CONFIDENTIAL", "DECL: UPON CLOSURE OF EMBASSY", date(2026, 11, 23), "event", None),
    ("CONFIDENTIAL", "GDS", date(2026, 11, 23), "scheduled", date(2030, 12, 31)),
    ("CONFIDENTIAL", "GDS", date(2031, 1, 1), "passed", date(2030, 12, 31)),
]


@pytest.mark.parametrize("cls,decl,on,status,when", CASES)
def test_status_table(cls, decl, on, status, when):
    c = parse_cable(HEAD.format(cls=cls, decl=decl))
    st = declassification_status(c, on)
    assert (st.status, st.date) == (status, when)
    assert st.automatic == date(2030, 12, 31)


def test_automatic_date_is_31_december_25_years_on():
    assert automatic_date(date(2005, 1, 10)) == date(2030, 12, 31)
    assert automatic_date(None) is None


def test_seed_status_on_fixed_days():
    c = parse_cable(sample_text("05PARIS174"))
    assert declassification_status(c, date(2024, 1, 1)).status == "scheduled"
    st = declassification_status(c, date(2026, 11, 23))
    assert st.status == "passed" and not st.automatic_passed
    assert declassification_status(c, date(2031, 1, 1)).automatic_passed
