"""The kinds of value a terms file holds, as annotated pydantic types with the expectation users read.

YAML numbers arrive as exact `Decimal`s (`exact_yaml`), dates as `date`s. Each kind checks its
value with pydantic's own constraints (strict types, bounds, `decimal_places`, `max_digits`,
patterns) and, whatever check failed, reports one expectation in the product's words — "an
amount in DKK: a plain decimal ≥ 0 with at most 2 decimals" — through `expected()`. Checks that
depend on other fields or on the reference data read the `TermsContext` passed to validation.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BeforeValidator,
    Field,
    PlainValidator,
    ValidationError,
    ValidationInfo,
    WrapValidator,
)
from pydantic_core import InitErrorDetails, PydanticCustomError

from contracts.terms.issues import describe
from contracts.terms.reference import RATES_FILE, TermsContext

#: The pydantic error type of every problem reported in the product's words.
TERMS_ERROR = "terms"

WEEKS_PER_YEAR = 52
INTEGER_MAX = 2**31 - 1  # INTEGER columns of the warehouse

WEEK_STATUSES = ("self_supporting", "partial", "public_support")
YEAR_STATUSES = ("full", "partial", "none")

AMOUNT = "an amount in DKK: a plain decimal ≥ 0 with at most 2 decimals"
WEEKLY_RATE = "a weekly rate in DKK: a plain decimal ≥ 0 with at most 2 decimals"
SAVINGS = "savings in DKK per participant: a plain decimal with at most 2 decimals"
SHARE = "a share: a plain decimal with 0 < share ≤ 1 and at most 10 decimal places"
FACTOR = "a factor: a plain decimal ≥ 0 with at most 10 decimal places"
HOURS = "hours per month: a plain decimal > 0 with at most 10 decimal places"


# -- reporting ---------------------------------------------------------------------------------
def fail(expected: str, got: str | None = None) -> PydanticCustomError:
    """A problem in the product's words; `got` None shows nothing after the expectation."""
    return PydanticCustomError(TERMS_ERROR, "{expected}", {"expected": expected, "got": got or ""})


def problems(found: Iterable[tuple[tuple[int | str, ...], object, PydanticCustomError]]) -> None:
    """Raise every problem found below the value being validated: (position, value, problem).

    Pydantic prefixes each position with the value's own, so one validator can name several
    list items (`outcome.partial_groups[2]`) in one go.
    """
    details = [InitErrorDetails(type=error, loc=loc, input=value) for loc, value, error in found]
    if details:
        raise ValidationError.from_exception_data("contract terms", details)


def expected(text: str, notes: Mapping[object, str] | None = None) -> WrapValidator:
    """Report any failure of the wrapped checks as `text`, the value shown after `got`."""

    def check(value: Any, handler: Callable[[Any], Any]) -> Any:
        try:
            return handler(value)
        except ValidationError:
            got = describe(value)
            if notes and isinstance(value, str) and value in notes:
                got += f" ({notes[value]})"
            raise fail(text, got) from None

    return WrapValidator(check)


def terms_context(info: ValidationInfo) -> TermsContext:
    if not isinstance(info.context, TermsContext):
        raise TypeError("contract terms are validated with a TermsContext "
                        "(ContractTerms.from_document, load_terms_folder)")
    return info.context


# -- numbers -----------------------------------------------------------------------------------
def _whole(value: object) -> object:
    """A YAML number written without a decimal point, as an int; anything else unchanged."""
    if isinstance(value, Decimal) and value.as_tuple().exponent == 0:
        return int(value)
    return value


def _no_negative_zero(value: Decimal) -> Decimal:
    return abs(value) if value == 0 else value


def whole_number(low: int, high: int = INTEGER_MAX, text: str | None = None) -> Any:
    if text is None:
        text = f"a whole number ≥ {low}" if high == INTEGER_MAX else f"a whole number from {low} to {high}"
    return Annotated[int, BeforeValidator(_whole), Field(strict=True, ge=low, le=high), expected(text)]


def decimal(text: str, *, places: int, whole_digits: int, **bounds: Decimal | int) -> Any:
    """A plain decimal: at most `places` decimals (trailing zeros do not count) and
    `whole_digits` digits before the point (the DECIMAL column it is stored in)."""
    return Annotated[
        Decimal,
        Field(strict=True, max_digits=whole_digits + places, decimal_places=places, **bounds),
        AfterValidator(_no_negative_zero),
        expected(text),
    ]


Count = whole_number(0)
WeeksInYear = whole_number(0, WEEKS_PER_YEAR)
Amount = decimal(AMOUNT, places=2, whole_digits=16, ge=0)  # DECIMAL(18,2)
WeeklyRate = decimal(WEEKLY_RATE, places=2, whole_digits=16, ge=0)
Savings = decimal(SAVINGS, places=2, whole_digits=16)
Share = decimal(SHARE, places=10, whole_digits=10, gt=0, le=1)  # DECIMAL(20,10)
Factor = decimal(FACTOR, places=10, whole_digits=10, ge=0)
Hours = decimal(HOURS, places=10, whole_digits=10, gt=0)


def at_most(value: Any, handler: Callable[[Any], Any], high: int, text: str) -> int:
    """`handler`'s whole number, refused above `high`; any failure reads `text`."""
    try:
        number = handler(value)
    except ValidationError:
        number = None
    if number is None or number > high:
        raise fail(text, describe(value))
    return number


def _within_follow_up(value: Any, handler: Callable[[Any], Any], info: ValidationInfo) -> int:
    years = terms_context(info).follow_up_years
    if years is None:  # follow_up.years is itself invalid: reported there
        return at_most(value, handler, INTEGER_MAX, "a whole number ≥ 1")
    return at_most(value, handler, years, f"a follow-up year from 1 to follow_up.years ({years})")


#: A positive whole number; callers add the limit and the words (`at_most`).
Positive = Annotated[int, BeforeValidator(_whole), Field(strict=True, ge=1, le=INTEGER_MAX)]
FollowUpYear = Annotated[Positive, WrapValidator(_within_follow_up)]


def max_week(info: ValidationInfo) -> tuple[int, str]:
    """The last follow-up week, and how a message names it."""
    years = terms_context(info).follow_up_years
    if years is None:
        return INTEGER_MAX, "52 × follow_up.years"
    return years * WEEKS_PER_YEAR, f"52 × follow_up.years ({years * WEEKS_PER_YEAR})"


# -- text and dates ----------------------------------------------------------------------------
def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("blank")
    return value


Text = Annotated[str, Field(strict=True), AfterValidator(_not_blank), expected("a non-empty text")]
Day = Annotated[date, Field(strict=True), expected("a date written YYYY-MM-DD (without quotes)")]
ContractId = Annotated[str, Field(strict=True, pattern=r"^[a-z0-9-]{3,64}$"),
                       expected("an id of 3–64 characters a–z, 0–9 and '-'")]
OutcomeId = Annotated[str, Field(strict=True, pattern=r"^[a-z0-9_-]+$"),
                      expected("an outcome id of characters a–z, 0–9, '_' and '-'")]
OutcomeRef = Annotated[str, Field(strict=True), expected("the id of another outcome of this contract")]


def one_of(*choices: str) -> Any:
    return Annotated[Literal[choices], expected("one of " + ", ".join(choices))]


# -- lists -------------------------------------------------------------------------------------
def listing(item: Any, what: str, *, allow_empty: bool, once: str | None = None) -> Any:
    """A YAML list of `item`s, kept as a tuple; `once` (the words) refuses repeated items."""

    def is_list(value: object) -> object:
        if not isinstance(value, list) or (not allow_empty and not value):
            raise fail(f"{'a list' if allow_empty else 'a non-empty list'} of {what}", describe(value))
        return value

    def each_once(items: tuple) -> tuple:
        problems(((i,), x, fail(once, f"{x!r} a second time"))
                 for i, x in enumerate(items) if x in items[:i])
        return items

    validators = [BeforeValidator(is_list)] + ([AfterValidator(each_once)] if once else [])
    return Annotated[(tuple[item, ...], *validators)]


def _statuses(kind: str, allowed: tuple[str, ...], other_kind: str, others: tuple[str, ...]) -> Any:
    notes = {s: f"a {other_kind} status; {kind} statuses are {', '.join(allowed)}"
             for s in others if s not in allowed}
    status = Annotated[Literal[allowed], expected(f"one of the {kind} statuses: " + ", ".join(allowed), notes)]
    return listing(status, f"{kind} statuses", allow_empty=False, once=f"each of the {kind} statuses listed once")


WeekStatuses = _statuses("week", WEEK_STATUSES, "year", YEAR_STATUSES)
YearStatuses = _statuses("year", YEAR_STATUSES, "week", WEEK_STATUSES)


def benefit_group(words: str) -> Any:
    """A group of `benefit_groups.csv` (the reference data of the context); `words` precede the list."""

    def check(value: object, info: ValidationInfo) -> str:
        groups = terms_context(info).reference.groups
        if not isinstance(value, str) or value not in groups:
            raise fail(words + " " + ", ".join(groups), describe(value))
        return value

    return Annotated[str, PlainValidator(check)]


BenefitGroup = benefit_group("one of the benefit groups (of benefit_groups.csv):")
RateGroup = benefit_group("a benefit group of benefit_groups.csv: one of")
BenefitGroups = listing(BenefitGroup, "benefit groups (of benefit_groups.csv)", allow_empty=True,
                        once="each of the benefit groups (of benefit_groups.csv) listed once")


def known_price_year(value: int, info: ValidationInfo) -> int:
    """A price year of `benefit_rates.csv`."""
    rates = terms_context(info).reference.rates
    if value not in rates:
        known = ", ".join(str(y) for y in sorted(rates)) or "none"
        raise fail(f"a price year of {RATES_FILE} ({known})", describe(value))
    return value
