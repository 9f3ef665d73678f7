"""Reading and checking the answers to a quarterly return's questions.

Answers are kept as text: a narrative as written, a figure as a plain number ("1234",
"1234.50"), or None for a question not answered. The same checks run in the form (so each
message shows next to its question) and again in the action (so a crafted POST cannot store
something the form would refuse).
"""

from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from core20.oversight.models import ReturnQuestion

MAX_NARRATIVE = 10_000
MAX_NUMBER = 1_000_000_000
MAX_MONEY = Decimal("9999999999.99")


def _strip_number(raw: str) -> str:
    return raw.replace(",", "").replace("£", "").replace(" ", "").strip()


def clean_answer(question: ReturnQuestion, raw) -> str | None:
    """The answer as it is stored, or a ValidationError with a message for the person."""
    if raw is None:
        return None
    if not isinstance(raw, str):
        raw = str(raw)
    raw = raw.strip()
    if raw == "":
        return None
    label = question.text.rstrip("?").rstrip()
    if question.kind == ReturnQuestion.Kind.NARRATIVE:
        if len(raw) > MAX_NARRATIVE:
            raise ValidationError(
                f"{label} must be {MAX_NARRATIVE:,} characters or fewer", code="max_length"
            )
        return raw.replace("\r\n", "\n")
    text = _strip_number(raw)
    if question.kind == ReturnQuestion.Kind.NUMBER:
        if not text.isdigit():
            if text.startswith("-") and text[1:].isdigit():
                raise ValidationError(f"{label}: the number cannot be negative", code="negative")
            raise ValidationError(f"{label}: enter a whole number, like 12", code="invalid_number")
        value = int(text)
        if value > MAX_NUMBER:
            raise ValidationError(
                f"{label}: the number must be {MAX_NUMBER:,} or less", code="too_big"
            )
        return str(value)
    try:
        value = Decimal(text)
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite():
        raise ValidationError(
            f"{label}: enter an amount in pounds, like 1250 or 1250.50", code="invalid_money"
        )
    if value < 0:
        raise ValidationError(f"{label}: the amount cannot be negative", code="negative")
    if value != value.quantize(Decimal("0.01")):
        raise ValidationError(
            f"{label}: enter the amount to the nearest penny, like 1250.50", code="pence"
        )
    if value > MAX_MONEY:
        raise ValidationError(f"{label}: the amount is too large", code="too_big")
    return str(value.quantize(Decimal("0.01")))


def display(kind: str, value) -> str:
    """An answer for reading: figures with thousands separators, money in pounds."""
    if value is None or value == "":
        return ""
    if kind == ReturnQuestion.Kind.NUMBER:
        try:
            return f"{int(value):,}"
        except (TypeError, ValueError):
            return str(value)
    if kind == ReturnQuestion.Kind.MONEY:
        try:
            return f"£{Decimal(value):,.2f}"
        except (InvalidOperation, TypeError, ValueError):
            return str(value)
    return str(value)
