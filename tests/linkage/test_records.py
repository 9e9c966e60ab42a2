"""Reading and checking input records."""

from __future__ import annotations

import pandas as pd
import pytest

from wayhome.linkage.records import BadRecordsError, load_records, parse_date

HEADER = "id,given_name,family_name,patronymic,sex,birth_date,birth_place,source\n"


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("1957", (1957, None, None)),
        ("1957-03", (1957, 3, None)),
        ("1957-03-12", (1957, 3, 12)),
        ("1957-02-29", None),
        ("1956-02-29", (1956, 2, 29)),
        ("1957-13", None),
        ("1957-00-01", None),
        ("57", None),
        ("12.03.1957", None),
    ],
)
def test_parse_date(text, parsed):
    assert parse_date(text) == parsed


def test_good_file(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(HEADER + "1,Əli,Məmmədov,Həsən oğlu,m,1957,Şuşa,x\n", encoding="utf-8")
    records = load_records(path)
    row = records.frame.iloc[0]
    assert row["sex"] == "M" and row["family_name"] == "Məmmədov"
    assert records.skipped == ()


def test_bad_rows_are_reported_with_line_numbers(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(
        HEADER
        + "1,Ali,Aliyev,,M,1957,,\n"
        + ",Ali,Aliyev,,M,1957,,\n"  # line 3: missing id
        + "1,Ali,Aliyev,,M,1957,,\n"  # line 4: duplicate id
        + "2,Ali,Aliyev,,X,1957,,\n"  # line 5: bad sex
        + "3,Ali,Aliyev,,M,1957-02-30,,\n"  # line 6: bad date
        + "4,Ali,Aliyev,,M,1957\n",  # line 7: wrong number of fields
        encoding="utf-8",
    )
    with pytest.raises(BadRecordsError) as caught:
        load_records(path)
    lines = {e.line: e.message for e in caught.value.errors}
    assert set(lines) == {3, 4, 5, 6, 7}
    assert "missing id" in lines[3]
    assert "duplicate id '1' (first on line 2)" in lines[4]
    assert "bad sex" in lines[5] and "bad birth_date" in lines[6]
    assert "wrong number of fields" in lines[7]
    skipped = load_records(path, skip_bad_rows=True)
    assert list(skipped.frame["id"]) == ["1"]
    assert [e.line for e in skipped.skipped] == [3, 4, 5, 6, 7]


def test_invalid_utf8_row(tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(HEADER.encode() + b"1,Ali,Aliyev,,M,1957,,\n2,\xff\xfe,Aliyev,,M,1957,,\n")
    with pytest.raises(BadRecordsError) as caught:
        load_records(path)
    assert [(e.line, e.message) for e in caught.value.errors] == [(3, "not valid UTF-8")]


def test_quoted_newline_keeps_line_numbers(tmp_path):
    path = tmp_path / "in.csv"
    path.write_text(HEADER + '1,"Ali\nAli",Aliyev,,M,1957,,\n2,Ali,Aliyev,,Q,1957,,\n')
    with pytest.raises(BadRecordsError) as caught:
        load_records(path)
    assert [e.line for e in caught.value.errors] == [4]


def test_dataframe_with_aliases_and_extra_columns():
    frame = pd.DataFrame(
        [{"id": 1, "family_name": "Aliyeva", "names": ["Mammadova Leyla"], "note": "x"}]
    )
    records = load_records(frame)
    assert records.frame["id"].iat[0] == "1"
    assert records.frame["names"].iat[0] == ("Mammadova Leyla",)
    assert records.extra_columns == ["note"]


def test_missing_id_column():
    with pytest.raises(BadRecordsError):
        load_records(pd.DataFrame({"name": ["x"]}))
