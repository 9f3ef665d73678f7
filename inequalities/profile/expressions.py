"""The condition language of profile specs: parsed, validated, then rendered as portable SQL.

A spec's numerator and denominator are conditions on one person's record, such as
``age >= 18 and hypertension_register = 1``. They are parsed here into a small tree and
re-written as SQL from that tree, so that only the following can reach the database:

* column names: ``age``, or in backticks for awkward names: ```Ethnic group```;
* numbers (``18``, ``-1.5``), text in single quotes (``'F'``; double a quote inside:
  ``'O''Neil'``) and ``true`` / ``false`` / ``null``;
* comparisons ``=`` (or ``==``), ``!=`` (or ``<>``), ``<``, ``<=``, ``>``, ``>=``;
* ``x in (1, 2)`` and ``x not in ('a', 'b')`` with literal lists, ``x is null``,
  ``x is not null``;
* ``and``, ``or``, ``not`` and parentheses.

Anything else (functions, arithmetic, sub-queries, a bare column standing as a condition,
double-quoted text) is refused with a message that points at it. Keywords are case-blind.
Missing values follow SQL: a comparison with a missing value is unknown, and a person counts
only where the whole condition is true.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from inequalities.errors import InputError

#: Accepted comparison operators and the standard SQL they are written as.
COMPARISONS = {
    "=": "=",
    "==": "=",
    "!=": "<>",
    "<>": "<>",
    "<": "<",
    "<=": "<=",
    ">": ">",
    ">=": ">=",
}
KEYWORDS = {"and", "or", "not", "in", "is", "null", "true", "false"}

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<number>\d+(?:\.\d*)?(?:[eE][+-]?\d+)?|\.\d+(?:[eE][+-]?\d+)?)
  | (?P<string>'(?:[^']|'')*')
  | (?P<quoted>`[^`]+`)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*)
  | (?P<op>==|!=|<>|<=|>=|=|<|>)
  | (?P<punct>[(),-])
    """,
    re.VERBOSE,
)


@dataclass(frozen=True)
class Token:
    kind: str  # number, string, name, keyword, op, punct, end
    text: str
    position: int


@dataclass(frozen=True)
class Column:
    name: str


@dataclass(frozen=True)
class Literal:
    value: object  # int, float, str, bool or None


@dataclass(frozen=True)
class Compare:
    op: str  # one of =, <>, <, <=, >, >=
    left: Column | Literal
    right: Column | Literal


@dataclass(frozen=True)
class InList:
    operand: Column | Literal
    values: tuple[Literal, ...]
    negated: bool


@dataclass(frozen=True)
class IsNull:
    operand: Column | Literal
    negated: bool


@dataclass(frozen=True)
class And:
    items: tuple["Condition", ...]


@dataclass(frozen=True)
class Or:
    items: tuple["Condition", ...]


@dataclass(frozen=True)
class Not:
    item: "Condition"


Condition = Compare | InList | IsNull | And | Or | Not
Operand = Column | Literal


class ExpressionError(InputError):
    """A condition that is not in the spec's condition language."""


def _tokens(text: str) -> list[Token]:
    out: list[Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            char = text[position]
            hint = ""
            if char == '"':
                hint = " (write text in single quotes, 'like this', and awkward column names "
                hint += "in backticks)"
            elif char == "'":
                hint = " (the text is not closed with a single quote)"
            elif char in "+*/%|&;":
                hint = " (arithmetic and other SQL are not allowed in conditions)"
            raise ExpressionError(f"unexpected {char!r} at position {position + 1}{hint}")
        kind = match.lastgroup or ""
        if kind != "space":
            lexeme = match.group()
            if kind == "name" and lexeme.lower() in KEYWORDS:
                kind = "keyword"
                lexeme = lexeme.lower()
            out.append(Token(kind, lexeme, position))
        position = match.end()
    out.append(Token("end", "", len(text)))
    return out


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = _tokens(text)
        self.index = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def accept(self, kind: str, text: str | None = None) -> Token | None:
        token = self.current
        if token.kind == kind and (text is None or token.text == text):
            return self.advance()
        return None

    def fail(self, expected: str) -> ExpressionError:
        token = self.current
        found = "the end" if token.kind == "end" else repr(token.text)
        return ExpressionError(
            f"expected {expected} at position {token.position + 1}, found {found}"
        )

    def parse(self) -> Condition:
        if self.current.kind == "end":
            raise ExpressionError("the condition is empty")
        node = self.parse_or()
        if self.current.kind != "end":
            raise self.fail("'and', 'or' or the end of the condition")
        return node

    def parse_or(self) -> Condition:
        items = [self.parse_and()]
        while self.accept("keyword", "or"):
            items.append(self.parse_and())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def parse_and(self) -> Condition:
        items = [self.parse_not()]
        while self.accept("keyword", "and"):
            items.append(self.parse_not())
        return items[0] if len(items) == 1 else And(tuple(items))

    def parse_not(self) -> Condition:
        if self.accept("keyword", "not"):
            return Not(self.parse_not())
        return self.parse_predicate()

    def parse_predicate(self) -> Condition:
        if self.current.kind == "punct" and self.current.text == "(":
            self.advance()
            node = self.parse_or()
            if not self.accept("punct", ")"):
                raise self.fail("')'")
            return node
        start = self.current
        left = self.parse_operand()
        token = self.current
        if token.kind == "op":
            self.advance()
            return Compare(COMPARISONS[token.text], left, self.parse_operand())
        if self.accept("keyword", "is"):
            negated = self.accept("keyword", "not") is not None
            if not self.accept("keyword", "null"):
                raise self.fail("'null' after 'is'")
            return IsNull(left, negated)
        negated = False
        if token.kind == "keyword" and token.text == "not":
            self.advance()
            negated = True
            if self.current.kind != "keyword" or self.current.text != "in":
                raise self.fail("'in' after 'not'")
        if self.accept("keyword", "in"):
            return InList(left, self.parse_list(), negated)
        if isinstance(left, Column):
            raise ExpressionError(
                f"{left.name!r} at position {start.position + 1} is not a condition on its "
                f"own: compare it, for example {left.name} = 1"
            )
        raise self.fail("a comparison (=, !=, <, <=, >, >=), 'in' or 'is null'")

    def parse_list(self) -> tuple[Literal, ...]:
        if not self.accept("punct", "("):
            raise self.fail("'(' to start the list after 'in'")
        values = [self.parse_literal()]
        while self.accept("punct", ","):
            values.append(self.parse_literal())
        if not self.accept("punct", ")"):
            raise self.fail("',' or ')' in the 'in' list")
        return tuple(values)

    def parse_operand(self) -> Operand:
        token = self.current
        if token.kind in {"name", "quoted"}:
            self.advance()
            following = self.current
            if following.kind == "punct" and following.text == "(":
                raise ExpressionError(
                    f"functions such as {token.text}(...) are not allowed (position "
                    f"{token.position + 1})"
                )
            return Column(token.text if token.kind == "name" else token.text[1:-1])
        return self.parse_literal()

    def parse_literal(self) -> Literal:
        token = self.current
        sign = 1
        if token.kind == "punct" and token.text == "-":
            self.advance()
            sign = -1
            token = self.current
            if token.kind != "number":
                raise self.fail("a number after '-'")
        if token.kind == "number":
            self.advance()
            is_int = re.fullmatch(r"\d+", token.text) is not None
            number = int(token.text) if is_int else float(token.text)
            return Literal(sign * number)
        if token.kind == "string":
            self.advance()
            return Literal(token.text[1:-1].replace("''", "'"))
        if token.kind == "keyword" and token.text in {"true", "false", "null"}:
            self.advance()
            return Literal({"true": True, "false": False, "null": None}[token.text])
        raise self.fail("a value (a number, 'text', true, false or null)")


def parse(text: str) -> Condition:
    """Parse a condition; ExpressionError (an InputError) says what is wrong and where."""
    if not isinstance(text, str):
        raise ExpressionError(f"a condition must be text, not {type(text).__name__}")
    return _Parser(text).parse()


def walk(node: Condition | Operand) -> Iterator[Condition | Operand]:
    """Every node of the tree, depth first."""
    yield node
    match node:
        case Compare(left=left, right=right):
            yield from walk(left)
            yield from walk(right)
        case InList(operand=operand, values=values):
            yield from walk(operand)
            yield from values
        case IsNull(operand=operand):
            yield from walk(operand)
        case And(items=items) | Or(items=items):
            for item in items:
                yield from walk(item)
        case Not(item=item):
            yield from walk(item)


def columns(node: Condition) -> list[str]:
    """The column names a condition uses, in order of first appearance."""
    seen: dict[str, None] = {}
    for item in walk(node):
        if isinstance(item, Column):
            seen.setdefault(item.name, None)
    return list(seen)


# --- SQL -------------------------------------------------------------------------------


def ansi_identifier(name: str) -> str:
    """A standard SQL quoted identifier: "name" (DuckDB, PostgreSQL, Spark in ANSI mode)."""
    return '"' + name.replace('"', '""') + '"'


def spark_identifier(name: str) -> str:
    """A Spark SQL / Databricks quoted identifier: `name`."""
    return "`" + name.replace("`", "``") + "`"


def ansi_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def spark_string(value: str) -> str:
    return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'"


@dataclass(frozen=True)
class Dialect:
    """How identifiers and text literals are written; everything else is shared SQL."""

    name: str
    identifier: Callable[[str], str]
    string: Callable[[str], str]


ANSI = Dialect("ansi", ansi_identifier, ansi_string)
SPARK = Dialect("spark", spark_identifier, spark_string)
DIALECTS = {"ansi": ANSI, "duckdb": ANSI, "spark": SPARK, "databricks": SPARK}


def literal_sql(value: object, dialect: Dialect = ANSI) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    return dialect.string(str(value))


def to_sql(
    node: Condition | Operand,
    dialect: Dialect = ANSI,
    column: Callable[[str], str] | None = None,
) -> str:
    """Render a parsed condition as SQL; ``column`` maps a name to its SQL (default: quoted)."""
    render = column or dialect.identifier

    def sql(item: Condition | Operand) -> str:
        match item:
            case Column(name=name):
                return render(name)
            case Literal(value=value):
                return literal_sql(value, dialect)
            case Compare(op=op, left=left, right=right):
                return f"{sql(left)} {op} {sql(right)}"
            case InList(operand=operand, values=values, negated=negated):
                listed = ", ".join(sql(v) for v in values)
                return f"{sql(operand)} {'NOT IN' if negated else 'IN'} ({listed})"
            case IsNull(operand=operand, negated=negated):
                return f"{sql(operand)} IS {'NOT NULL' if negated else 'NULL'}"
            case And(items=items):
                return " AND ".join(f"({sql(i)})" for i in items)
            case Or(items=items):
                return " OR ".join(f"({sql(i)})" for i in items)
            case Not(item=inner):
                return f"NOT ({sql(inner)})"
        raise TypeError(f"not a condition node: {item!r}")  # pragma: no cover

    return sql(node)


# --- pandas (for checks and the pandas reference implementation) --------------------------


def evaluate(node: Condition, data: pd.DataFrame) -> pd.Series:
    """Evaluate a condition on a frame with SQL's three-valued logic.

    Returns a nullable boolean Series (True, False or <NA> for unknown); a person counts
    where it is True, as ``CASE WHEN condition THEN 1 END`` counts them in SQL.
    """

    def operand(item: Operand) -> pd.Series | object:
        if isinstance(item, Column):
            return data[item.name]
        return item.value

    def missing(value: pd.Series | object) -> np.ndarray:
        if isinstance(value, pd.Series):
            return value.isna().to_numpy()
        return np.full(len(data), value is None)

    def known(result: object, unknown: np.ndarray) -> pd.Series:
        values = pd.Series(np.asarray(result, dtype=bool), index=data.index, dtype="boolean")
        values[unknown] = pd.NA
        return values

    def compare(op: str, left: object, right: object) -> np.ndarray:
        if left is None or right is None:
            return np.zeros(len(data), dtype=bool)
        match op:
            case "=":
                out = left == right
            case "<>":
                out = left != right
            case "<":
                out = left < right
            case "<=":
                out = left <= right
            case ">":
                out = left > right
            case _:
                out = left >= right
        if isinstance(out, pd.Series):
            return out.fillna(False).to_numpy(dtype=bool)
        return np.full(len(data), bool(out))

    def ev(item: Condition) -> pd.Series:
        match item:
            case Compare(op=op, left=left, right=right):
                lv, rv = operand(left), operand(right)
                return known(compare(op, lv, rv), missing(lv) | missing(rv))
            case InList(operand=inner, values=values, negated=negated):
                value = operand(inner)
                listed = [v.value for v in values if v.value is not None]
                has_null = any(v.value is None for v in values)
                if isinstance(value, pd.Series):
                    hit = value.isin(listed).to_numpy(dtype=bool)
                else:
                    hit = np.full(len(data), value in listed)
                unknown = missing(value) | (~hit & has_null)
                return known(~hit if negated else hit, unknown)
            case IsNull(operand=inner, negated=negated):
                null = missing(operand(inner))
                return known(~null if negated else null, np.zeros(len(data), dtype=bool))
            case And(items=items):
                result = ev(items[0])
                for other in items[1:]:
                    result = result & ev(other)
                return result
            case Or(items=items):
                result = ev(items[0])
                for other in items[1:]:
                    result = result | ev(other)
                return result
            case Not(item=inner):
                return ~ev(inner)
        raise TypeError(f"not a condition node: {item!r}")  # pragma: no cover

    return ev(node)
