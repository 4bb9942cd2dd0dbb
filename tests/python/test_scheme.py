"""Scheme: reading, validating, properties, repr."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import rectify
from conftest import MINI, SCHEME_JSON


def test_from_json_accepts_path_str_text_dict_and_bytes(tmp_path: Path) -> None:
    text = SCHEME_JSON.read_text(encoding="utf-8")
    by_path = rectify.Scheme.from_json(SCHEME_JSON)
    by_str = rectify.Scheme.from_json(str(SCHEME_JSON))
    by_text = rectify.Scheme.from_json(text)
    by_dict = rectify.Scheme.from_json(json.loads(text))
    by_bytes = rectify.Scheme.from_json(text.encode("utf-8"))
    for s in (by_path, by_str, by_text, by_dict, by_bytes):
        assert s.id == "hw-party-2026"
        assert s.name == "2026年度公路养护党建与精神文明建设考核方案"
        assert s.validate() == []
        assert s.is_valid
    assert by_path.source == str(SCHEME_JSON)
    assert by_text.source == "" and by_dict.source == ""
    # a dict keeps its Chinese text (ensure_ascii=False), so names are not \u escapes
    assert "考核方案" in by_dict.text


def test_from_json_missing_file_is_an_oserror(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        rectify.Scheme.from_json(tmp_path / "nope.json")
    with pytest.raises(FileNotFoundError):
        rectify.Scheme.from_json(str(tmp_path / "nope.json"))


def test_from_json_type_error() -> None:
    with pytest.raises(TypeError):
        rectify.Scheme.from_json(42)  # type: ignore[arg-type]


def test_syntax_error_raises_from_json_with_file_and_position(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "rectify.scheme/1",\n "id": "x",,\n}', encoding="utf-8")
    with pytest.raises(rectify.SchemeError) as info:
        rectify.Scheme.from_json(bad)
    e = info.value
    assert isinstance(e, ValueError) and isinstance(e, rectify.Error)
    assert e.code == "rectify.scheme.syntax"
    assert str(e) == (
        f"{bad}:2:12: [rectify.scheme.syntax] syntax error while parsing object key - unexpected ','; "
        "expected string literal"
    )
    assert [p.code for p in e.problems] == ["rectify.scheme.syntax"]
    assert e.problems[0].source == f"{bad}:2:12"


def test_syntax_error_of_text_names_scheme() -> None:
    with pytest.raises(rectify.SchemeError) as info:
        rectify.Scheme.from_json('{"a": ')
    assert str(info.value).startswith("<scheme>:1:7: [rectify.scheme.syntax] ")


def test_validate_lists_every_problem_at_once(mini_dict) -> None:
    mini_dict["colour"] = "red"
    mini_dict["indicators"][0]["rule"]["best"] = 0
    mini_dict["indicators"][1]["points"] = 30
    mini_dict["grades"][0]["quota"] = 1.5
    s = rectify.Scheme.from_json(mini_dict)  # not a syntax error: accepted here
    problems = s.validate()
    assert [str(p) for p in problems] == [
        '[rectify.scheme.unknown_key] /colour: unknown key "colour" (allowed: format id name total missing '
        "indicators bonus penalties vetoes grades)",
        "[rectify.scheme.points_sum] /indicators: the points of these indicators sum to 90, but their parent has 100",
        "[rectify.scheme.bad_rule] /indicators/0/rule/best: must differ from worst",
        "[rectify.scheme.bad_grades] /grades/0/quota: must lie in (0, 1], not 1.5",
    ]
    p = problems[2]
    assert (p.code, p.path, p.message, p.source) == (
        "rectify.scheme.bad_rule",
        "/indicators/0/rule/best",
        "must differ from worst",
        "",
    )
    assert not s.is_valid


def test_validate_from_file_names_the_file(tmp_path: Path, mini_dict) -> None:
    mini_dict["indicators"][0]["rule"]["best"] = 0
    path = tmp_path / "s.json"
    path.write_text(json.dumps(mini_dict), encoding="utf-8")
    (p,) = rectify.Scheme.from_json(path).validate()
    assert p.source == str(path)
    assert str(p) == f"{path}: [rectify.scheme.bad_rule] /indicators/0/rule/best: must differ from worst"


def test_score_of_an_invalid_scheme_raises_listing_all(mini_dict) -> None:
    mini_dict["indicators"][0]["rule"]["best"] = 0
    mini_dict["grades"][0]["quota"] = 1.5
    s = rectify.Scheme.from_json(mini_dict)
    with pytest.raises(rectify.SchemeError) as info:
        s.score({"unit": ["u"], "x": [1.0], "n": [0.0]})
    e = info.value
    assert isinstance(e, ValueError)
    assert e.code == "rectify.scheme.bad_rule"
    assert [p.code for p in e.problems] == ["rectify.scheme.bad_rule", "rectify.scheme.bad_grades"]
    assert str(e) == "\n".join(str(p) for p in s.validate())
    with pytest.raises(rectify.SchemeError):
        s.inputs


def test_properties(scheme: rectify.Scheme) -> None:
    assert scheme.total == 100
    assert scheme.missing == "reweight"
    assert scheme.grades == ["优秀", "良好", "合格", "不合格"]
    assert len(scheme.inputs) == 33 and "headcount" not in scheme.inputs  # 22 of units.csv, 4 of the ledger, 7 of the checks
    nodes = scheme.nodes
    assert list(nodes.columns) == ["name", "parent", "leaf", "points", "rule", "input", "path"]
    assert nodes.index[0] == "org_life" and pd.isna(nodes.loc["org_life", "parent"])
    assert nodes.loc["team.training", "points"] == pytest.approx(16 / 3)  # weight 2 of 3 in an 8-point group
    assert nodes.loc["org_life.meetings", "input"] == "meetings_met_ratio"
    assert pd.isna(nodes.loc["org_life.records", "rule"])
    assert nodes["leaf"].sum() == 25


def test_repr(scheme: rectify.Scheme, mini_dict) -> None:
    assert repr(scheme) == (
        "Scheme(id='hw-party-2026', name='2026年度公路养护党建与精神文明建设考核方案', "
        "leaves=25, inputs=33, grades=4)"
    )
    mini_dict["colour"] = 1
    mini_dict["grades"][0]["quota"] = 2
    assert repr(rectify.Scheme.from_json(mini_dict)) == "Scheme(id='mini', name='小方案', invalid: 2 problems)"


def test_problem_value_semantics() -> None:
    a = rectify.Problem(code="rectify.data.x", path="/a", message="m", source="f")
    b = rectify.Problem(code="rectify.data.x", path="/a", message="m", source="f")
    assert a == b and hash(a) == hash(b)
    assert str(a) == "f: [rectify.data.x] /a: m"
    assert "Problem(code='rectify.data.x'" in repr(a)
    assert MINI["id"] == "mini"
