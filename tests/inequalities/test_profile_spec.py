"""Profile specs: the condition language and the checks made when a spec is loaded."""

import duckdb
import numpy as np
import pandas as pd
import pytest

from inequalities.errors import InputError
from inequalities.profile import ExpressionError, SpecError, load_spec
from inequalities.profile.expressions import SPARK, columns, evaluate, parse, to_sql

# --- the condition language -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "sql"),
    [
        ("age >= 18", '"age" >= 18'),
        ("age >= 18 and hyp = 1", '("age" >= 18) AND ("hyp" = 1)'),
        ("a == 1 or b != 2", '("a" = 1) OR ("b" <> 2)'),
        ("not (a < 1)", 'NOT ("a" < 1)'),
        ("sex = 'F'", "\"sex\" = 'F'"),
        ("name = 'O''Neil'", "\"name\" = 'O''Neil'"),
        ("eth in ('A', 'B')", "\"eth\" IN ('A', 'B')"),
        ("eth not in (1, -2.5)", '"eth" NOT IN (1, -2.5)'),
        ("x is null", '"x" IS NULL'),
        ("x IS NOT NULL AND y = TRUE", '("x" IS NOT NULL) AND ("y" = TRUE)'),
        ("`Ethnic group` = 'A'", "\"Ethnic group\" = 'A'"),
        ("a <> b", '"a" <> "b"'),
    ],
)
def test_conditions_are_rewritten_as_standard_sql(text, sql):
    assert to_sql(parse(text)) == sql


def test_spark_quoting():
    node = parse("`odd name` = 'it''s'")
    assert to_sql(node, SPARK) == "`odd name` = 'it\\'s'"


def test_columns_in_order_of_appearance():
    assert columns(parse("b = 1 and (a > 2 or b < 3) and c is null")) == ["b", "a", "c"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "the condition is empty"),
        ("age", "'age' at position 1 is not a condition on its own: compare it"),
        ("age >", "expected a value .* at position 6, found the end"),
        ("lower(sex) = 'f'", r"functions such as lower\(...\) are not allowed"),
        ('sex = "F"', "write text in single quotes"),
        ("age + 1 > 18", "arithmetic and other SQL are not allowed"),
        ("a = 1; drop table x", "arithmetic and other SQL are not allowed"),
        ("a = 1 b = 2", "expected 'and', 'or' or the end of the condition at position 7"),
        ("a in 1", "expected '\\(' to start the list after 'in'"),
        ("a in (b)", "expected a value"),
        ("sex = 'F", "the text is not closed"),
        ("a not 1", "expected 'in' after 'not'"),
        ("(a = 1", "expected '\\)'"),
        ("a is 1", "expected 'null' after 'is'"),
        ("a = - b", "expected a number after '-'"),
        ("select * from t", "arithmetic and other SQL are not allowed"),
        ("x = 1 union select y", "expected 'and', 'or' or the end of the condition"),
    ],
)
def test_invalid_conditions_say_what_and_where(text, message):
    with pytest.raises(ExpressionError, match=message):
        parse(text)


def test_expression_error_is_an_input_error():
    assert issubclass(ExpressionError, InputError)


def test_pandas_evaluation_matches_duckdb_three_valued_logic():
    frame = pd.DataFrame(
        {
            "a": pd.array([1, 2, None, 4, None], dtype="Int64"),
            "b": pd.array(["x", None, "y", "x", None], dtype="string"),
        }
    )
    conditions = [
        "a >= 2",
        "not (a >= 2)",
        "a >= 2 or b = 'x'",
        "a >= 2 and b = 'x'",
        "not (a = 1 or b = 'y')",
        "a in (1, 4)",
        "a not in (1, 4)",
        "a not in (1, null)",
        "b is null",
        "not (b is not null) and a is null",
        "a = null",
    ]
    with duckdb.connect() as con:
        con.register("t", frame)
        for text in conditions:
            node = parse(text)
            sql = f"SELECT CASE WHEN {to_sql(node)} THEN 1 ELSE 0 END FROM t"  # noqa: S608
            expected = np.array([r[0] for r in con.execute(sql).fetchall()], dtype=bool)
            got = evaluate(node, frame).fillna(False).to_numpy(dtype=bool)
            assert (got == expected).all(), text


# --- loading specs ----------------------------------------------------------------------------

MINIMAL = {"indicators": [{"id": "A", "numerator": "x = 1"}]}


def test_defaults():
    spec = load_spec(MINIMAL)
    indicator = spec.indicators[0]
    assert (indicator.name, indicator.type, indicator.multiplier) == ("A", "proportion", 100.0)
    assert indicator.denominator is None
    assert [a.level for a in spec.areas] == ["england"]
    assert [b.name for b in spec.breakdowns] == ["total"]
    assert spec.confidence == (0.95, 0.998)
    assert spec.sii is None
    assert spec.columns["lsoa"] == spec.columns["lookup_lsoa"] == "lsoa"


def test_rate_default_multiplier_and_sii_defaults():
    spec = load_spec(
        {
            "indicators": [{"id": "R", "type": "rate", "numerator": "x = 1"}],
            "breakdowns": ["total", "imd_quintile", "sex"],
            "confidence": [95],
        }
    )
    assert spec.indicators[0].multiplier == 100_000
    assert spec.sii.breakdowns == ("imd_quintile",)
    assert spec.sii.draws == 10_000
    assert spec.confidence == (0.95,)


def test_yaml_text_and_files(tmp_path):
    text = 'indicators:\n  - id: A\n    numerator: "x = 1"\n'
    assert load_spec(text).indicators[0].id == "A"
    path = tmp_path / "spec.yaml"
    path.write_text(text)
    assert load_spec(path).indicators[0].id == "A"
    assert load_spec(str(path)).indicators[0].id == "A"
    with pytest.raises(SpecError, match="does not exist"):
        load_spec(tmp_path / "missing.yaml")


def test_area_and_breakdown_mappings():
    spec = load_spec(
        {
            **MINIMAL,
            "areas": ["england", {"level": "icb", "column": "icb22cd", "name_column": "icb22nm"}],
            "breakdowns": [{"name": "ethnic_group", "column": "eth"}, "age_band"],
            "age_bands": [0, 65],
        }
    )
    assert spec.areas[1].column == "icb22cd" and spec.areas[1].name_column == "icb22nm"
    assert spec.breakdowns[0].column == "eth"
    assert spec.age_bands == (0, 65)


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("- just a list", "must be a mapping with an 'indicators' list"),
        ("indicators: [", "not valid YAML"),
        ({"indicator": []}, "unknown key 'indicator'"),
        ({"indicators": []}, "'indicators' must be a non-empty list"),
        ({"indicators": [{"id": "A"}]}, "Indicator 'A': the key 'numerator' is required"),
        ({"indicators": [{"numerator": "x = 1"}]}, "Indicator 1: the key 'id' is required"),
        ({"indicators": [{"id": "A", "numerator": "x = 1", "numerater": 1}]}, "unknown key"),
        ({"indicators": [{"id": "A b", "numerator": "x = 1"}]}, "'id' may use only letters"),
        (
            {"indicators": [{"id": "A", "numerator": "x = 1"}, {"id": "A", "numerator": "y = 1"}]},
            "Indicator 'A': the id is used by another indicator",
        ),
        ({"indicators": [{"id": "A", "numerator": "x = 1", "type": "ratio"}]}, "'type' must be"),
        (
            {"indicators": [{"id": "A", "numerator": "x = 1", "multiplier": 0}]},
            "'multiplier' must be a positive number",
        ),
        (
            {"indicators": [{"id": "A", "numerator": "x = 1", "multiplier": True}]},
            "'multiplier' must be a positive number",
        ),
        (
            {"indicators": [{"id": "HYP", "numerator": "bp = 1", "denominator": "age >= "}]},
            r"Indicator 'HYP': 'denominator' 'age >= ': expected a value",
        ),
        (
            {"indicators": [{"id": "HYP", "numerator": 1}]},
            "Indicator 'HYP': 'numerator' must be a condition in quotes",
        ),
        ({**MINIMAL, "areas": []}, "'areas' must be a non-empty list"),
        ({**MINIMAL, "areas": ["icb", "icb"]}, "'areas' lists 'icb' twice"),
        ({**MINIMAL, "areas": [{"column": "x"}]}, "the key 'level' is required"),
        ({**MINIMAL, "areas": [3]}, "entries must be names or mappings"),
        ({**MINIMAL, "breakdowns": [{"name": "sex", "colum": "x"}]}, "unknown key 'colum'"),
        ({**MINIMAL, "breakdowns": [{"name": "age_band", "column": "x"}]}, "is built in"),
        ({**MINIMAL, "age_bands": [0, 40, 18]}, "'age_bands' must increase"),
        ({**MINIMAL, "age_bands": [0, "18"]}, "'age_bands' must be a list of whole-year"),
        ({**MINIMAL, "confidence": [0.5]}, "'confidence': Confidence level 0.5 is outside"),
        ({**MINIMAL, "columns": {"lsao": "x"}}, "'columns': unknown key 'lsao'"),
        ({**MINIMAL, "sii": {"breakdowns": ["imd_decile"]}}, "which is not in 'breakdowns'"),
        (
            {**MINIMAL, "breakdowns": ["sex"], "sii": {"breakdowns": ["sex"]}},
            None,
        ),
        (
            {**MINIMAL, "breakdowns": ["core20"], "sii": {"breakdowns": ["core20"]}},
            "'core20' is not a deprivation quantile breakdown",
        ),
        (
            {**MINIMAL, "breakdowns": ["imd_decile"], "sii": {"draws": 100}},
            r"'sii.draws' must be a whole number ≥ 1000",
        ),
        (
            {**MINIMAL, "breakdowns": ["imd_decile"], "sii": {"seed": -1}},
            r"'sii.seed' must be a whole number ≥ 0",
        ),
        (
            {**MINIMAL, "breakdowns": ["imd_decile"], "sii": {"areas": ["lad"]}},
            "'sii.areas' must list area levels from 'areas'",
        ),
        ({**MINIMAL, "sii": "yes"}, "'sii' must be false or a mapping"),
    ],
)
def test_spec_errors_name_the_problem(raw, message):
    if message is None:  # a custom numeric column may be an SII breakdown (checked later)
        assert load_spec(raw).sii.breakdowns == ("sex",)
        return
    with pytest.raises(SpecError, match=message):
        load_spec(raw)
