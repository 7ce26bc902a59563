"""Validation of one parsed terms file against `contracts.md`, building `ContractTerms`.

Every problem is collected (not just the first), each as a `TermsIssue` naming the file, the
field as a dotted path and what was expected. Checks that depend on another field (a year
against `follow_up.years`, a rate against `price_year`) are skipped while that field is itself
invalid, so one mistake gives one message.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType

from contracts.terms_model import (
    BELOW_TARGET,
    DEFAULT_PARTIAL_GROUPS,
    DEFAULT_SELF_SUPPORTING_GROUPS,
    DEFAULT_STREAK_STATUSES,
    MECHANISMS,
    OUTCOME_KINDS,
    WEEK_STATUSES,
    YEAR_STATUSES,
    Baseline,
    Budget,
    Cohort,
    CohortTarget,
    ContractTerms,
    FollowUp,
    OutcomeRules,
    Parties,
    RateCard,
    RateCardOutcome,
    SavingsShare,
    TermsIssue,
    Valuation,
)
from contracts.terms_reference import RATES_FILE, ReferenceData
from contracts.terms_yaml import UnreadableScalar

CONTRACT_ID = re.compile(r"[a-z0-9-]{3,64}\Z")
OUTCOME_ID = re.compile(r"[a-z0-9_-]+\Z")

WEEKS_PER_YEAR = 52
INTEGER_MAX = 2**31 - 1  # INTEGER columns of the warehouse
AMOUNT_MAX = Decimal("9999999999999999.99")  # DECIMAL(18,2)
FRACTION_MAX = Decimal("9999999999.9999999999")  # DECIMAL(20,10)
AMOUNT_PLACES = 2
FRACTION_PLACES = 10  # shares and factors: DECIMAL(20,10)

AMOUNT = "an amount in DKK: a plain decimal ≥ 0 with at most 2 decimals"
WEEKLY_RATE = "a weekly rate in DKK: a plain decimal ≥ 0 with at most 2 decimals"
SHARE = "a share: a plain decimal with 0 < share ≤ 1 and at most 10 decimal places"
FACTOR = "a factor: a plain decimal ≥ 0 with at most 10 decimal places"
HOURS = "hours per month: a plain decimal > 0 with at most 10 decimal places"

_TOP_REQUIRED = ("id", "name", "parties", "cohort", "follow_up", "outcome", "valuation", "payment")
_TOP_OPTIONAL = ("budget",)
_PAYMENT_FIELDS = {
    "savings_share": (("mechanism", "baseline", "outlay", "investor_share"),
                      ("count_savings_when", "cap")),
    "rate_card": (("mechanism", "outcomes"), ("cap_per_participant", "cap_total")),
    "cohort_target": (("mechanism", "year", "statuses", "target_share", "amount", "below_target"),
                      ()),
}
_OUTCOME_FIELDS = {
    "streak": (("id", "kind", "weeks", "price"), ("within_weeks", "statuses", "requires")),
    "year_status": (("id", "kind", "statuses", "years", "price"), ("requires",)),
}


def _join(path: str, key: object) -> str:
    return f"{path}.{key}" if path else str(key)


def describe(value: object) -> str:
    """How a YAML value is shown after `got` in a message."""
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"{str(value).lower()} (YAML reads yes/no/on/off/true/false as a yes-or-no value)"
    if isinstance(value, Decimal):
        return f"the number {value}"
    if isinstance(value, UnreadableScalar):
        if value.kind == "date":
            return f"{value.text!r} (not a valid date, or with a time of day)"
        return f"{value.text!r} (not plain decimal notation)"
    if isinstance(value, datetime):
        return f"{value.isoformat()} (a date with a time)"
    if isinstance(value, date):
        return f"the date {value.isoformat()}"
    if isinstance(value, str):
        if re.fullmatch(r"\s*[-+]?[0-9][0-9_.,:eE+-]*\s*", value):
            return f"the text {value!r} (numbers and dates are written without quotes)"
        return f"the text {value!r}"
    if isinstance(value, list):
        return f"a list of {len(value)}" if value else "an empty list"
    if isinstance(value, dict):
        return "a mapping"
    return f"{value!r}"  # pragma: no cover - YAML yields nothing else through the safe loader


def _decimal_places(value: Decimal) -> int:
    """Decimal places of the value; trailing zeros do not count (exact, no context rounding)."""
    _, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    digits = list(digits)
    while exponent < 0 and len(digits) > 1 and digits[-1] == 0:
        digits.pop()
        exponent += 1
    return max(0, -exponent)


class _Checker:
    def __init__(self, file: str, reference: ReferenceData):
        self.file = file
        self.reference = reference
        self.issues: list[TermsIssue] = []

    # -- reporting ---------------------------------------------------------------------------
    def fail(self, path: str, expected: str, got: object = ..., *, got_text: str | None = None):
        if got_text is None and got is not ...:
            got_text = describe(got)
        self.issues.append(TermsIssue(self.file, path or "(document)", expected, got_text))

    # -- structure ---------------------------------------------------------------------------
    def section(self, value: object, path: str, required: Sequence[str],
                optional: Sequence[str] = ()) -> dict | None:
        """A mapping with exactly these fields; None (reported) when it is not a mapping."""
        allowed = (*required, *optional)
        if not isinstance(value, dict):
            self.fail(path, "a mapping with the fields " + ", ".join(allowed), value)
            return None
        for key in getattr(value, "duplicate_keys", ()):
            self.fail(_join(path, key), "each field written once",
                      got_text="the field a second time")
        for key in value:
            if not isinstance(key, str):
                self.fail(path, "field names written as text", key)
            elif key not in allowed:
                self.fail(_join(path, key), "one of the fields allowed here: "
                          + ", ".join(allowed), got_text="a field the terms do not have")
        for key in required:
            if value.get(key) is None:
                self.fail(_join(path, key), "a value: the field is required")
        return value

    # -- scalars -----------------------------------------------------------------------------
    def text(self, value: object, path: str) -> str | None:
        if value is None:
            return None
        if not isinstance(value, str) or not value.strip():
            self.fail(path, "a non-empty text", value)
            return None
        return value

    def date(self, value: object, path: str) -> date | None:
        if value is None:
            return None
        if not isinstance(value, date) or isinstance(value, datetime):
            self.fail(path, "a date written YYYY-MM-DD (without quotes)", value)
            return None
        return value

    def integer(self, value: object, path: str, low: int, high: int = INTEGER_MAX,
                expected: str | None = None) -> int | None:
        if value is None:
            return None
        if expected is None:
            expected = (f"a whole number ≥ {low}" if high == INTEGER_MAX
                        else f"a whole number from {low} to {high}")
        if (not isinstance(value, Decimal) or value.as_tuple().exponent != 0
                or not low <= value <= high):
            self.fail(path, expected, value)
            return None
        return int(value)

    def decimal(self, value: object, path: str, expected: str, *, places: int,
                minimum: Decimal, minimum_inclusive: bool = True,
                maximum: Decimal) -> Decimal | None:
        if value is None:
            return None
        if not isinstance(value, Decimal):
            self.fail(path, expected, value)
            return None
        above_minimum = value >= minimum if minimum_inclusive else value > minimum
        if not above_minimum or value > maximum or _decimal_places(value) > places:
            self.fail(path, expected, value)
            return None
        return abs(value) if value == 0 else value  # no -0.00

    def amount(self, value: object, path: str, expected: str = AMOUNT) -> Decimal | None:
        return self.decimal(value, path, expected, places=AMOUNT_PLACES, minimum=Decimal(0),
                            maximum=AMOUNT_MAX)

    def share(self, value: object, path: str) -> Decimal | None:
        return self.decimal(value, path, SHARE, places=FRACTION_PLACES, minimum=Decimal(0),
                            minimum_inclusive=False, maximum=Decimal(1))

    # -- lists -------------------------------------------------------------------------------
    def list_of(self, value: object, path: str, what: str, *, allow_empty: bool) -> list | None:
        if value is None:
            return None
        if not isinstance(value, list) or (not allow_empty and not value):
            article = "a list" if allow_empty else "a non-empty list"
            self.fail(path, f"{article} of {what}", value)
            return None
        return value

    def names(self, value: object, path: str, allowed: Sequence[str], what: str, *,
              allow_empty: bool, hint: dict[str, str] | None = None) -> tuple[str, ...] | None:
        """A list of distinct names out of `allowed`; `what` names them, e.g. "year statuses"."""
        items = self.list_of(value, path, what, allow_empty=allow_empty)
        if items is None:
            return None
        ok = True
        seen: set[str] = set()
        for i, item in enumerate(items):
            item_path = f"{path}[{i}]"
            if not isinstance(item, str) or item not in allowed:
                got = describe(item)
                if isinstance(item, str) and hint and item in hint:
                    got += f" ({hint[item]})"
                self.fail(item_path, f"one of the {what}: " + ", ".join(allowed), got_text=got)
                ok = False
            elif item in seen:
                self.fail(item_path, f"each of the {what} listed once",
                          got_text=f"{item!r} a second time")
                ok = False
            else:
                seen.add(item)
        return tuple(items) if ok else None

    def groups(self, value: object, path: str, *, allow_empty: bool = True):
        return self.names(value, path, self.reference.groups,
                          "benefit groups (of benefit_groups.csv)", allow_empty=allow_empty)

    def week_statuses(self, value: object, path: str):
        hint = {s: "a year status; week statuses are self_supporting, partial, public_support"
                for s in YEAR_STATUSES if s not in WEEK_STATUSES}
        return self.names(value, path, WEEK_STATUSES, "week statuses", allow_empty=False,
                          hint=hint)

    def year_statuses(self, value: object, path: str):
        hint = {s: "a week status; year statuses are full, partial, none"
                for s in WEEK_STATUSES if s not in YEAR_STATUSES}
        return self.names(value, path, YEAR_STATUSES, "year statuses", allow_empty=False,
                          hint=hint)

    def follow_up_year(self, value: object, path: str, years: int | None) -> int | None:
        if years is None:  # follow_up.years is itself invalid: reported there
            return self.integer(value, path, 1) if value is not None else None
        return self.integer(value, path, 1, years,
                            expected=f"a follow-up year from 1 to follow_up.years ({years})")


def _subsection(c: _Checker, parent: dict, key: str, required: Sequence[str],
                optional: Sequence[str] = (), path: str | None = None) -> dict | None:
    """`parent[key]` checked as a section; None when it is absent (reported if required)."""
    if parent.get(key) is None:
        return None
    return c.section(parent[key], path or key, required, optional)


def check_terms(data: object, *, path: Path, terms_sha256: str, terms_yaml: str,
                reference: ReferenceData) -> tuple[ContractTerms | None, list[TermsIssue]]:
    """Validate one parsed terms document; the terms when valid, else None, and every issue."""
    c = _Checker(str(path), reference)
    top = c.section(data, "", _TOP_REQUIRED, _TOP_OPTIONAL)
    if top is None:
        return None, c.issues

    contract_id = top.get("id")
    if contract_id is not None and (not isinstance(contract_id, str)
                                    or not CONTRACT_ID.match(contract_id)):
        c.fail("id", "an id of 3–64 characters a–z, 0–9 and '-'", contract_id)
        contract_id = None
    name = c.text(top.get("name"), "name")

    parties = None
    if (s := _subsection(c, top, "parties", ("payer", "investor", "provider"))) is not None:
        parties = Parties(*(c.text(s.get(k), f"parties.{k}")
                            for k in ("payer", "investor", "provider")))

    cohort = None
    if (s := _subsection(c, top, "cohort", ("start_from", "start_to"),
                         ("max_participants",))) is not None:
        start_from = c.date(s.get("start_from"), "cohort.start_from")
        start_to = c.date(s.get("start_to"), "cohort.start_to")
        if start_from and start_to and start_from > start_to:
            c.fail("cohort.start_to", f"a date on or after cohort.start_from ({start_from})",
                   start_to)
        cohort = Cohort(start_from, start_to,
                        c.integer(s.get("max_participants"), "cohort.max_participants", 0))

    years = None
    if (s := _subsection(c, top, "follow_up", ("years",))) is not None:
        years = c.integer(s.get("years"), "follow_up.years", 1, INTEGER_MAX // WEEKS_PER_YEAR,
                          expected="a whole number ≥ 1")

    outcome = _check_outcome(c, top.get("outcome"))
    valuation = _check_valuation(c, top.get("valuation"))

    budget = Budget(payment_account=None)
    if (s := _subsection(c, top, "budget", (), ("payment_account",))) is not None:
        budget = Budget(c.text(s.get("payment_account"), "budget.payment_account"))

    payment = _check_payment(c, top.get("payment"), years)

    weekly_rates = _resolve_rates(c, valuation)

    if c.issues:
        return None, c.issues
    return ContractTerms(
        id=contract_id, name=name, parties=parties, cohort=cohort,
        follow_up=FollowUp(years), outcome=outcome, valuation=valuation, budget=budget,
        payment=payment, weekly_rates=weekly_rates, path=Path(path),
        terms_sha256=terms_sha256, terms_yaml=terms_yaml,
    ), []


def _check_outcome(c: _Checker, value: object) -> OutcomeRules | None:
    if value is None:
        return None
    s = c.section(value, "outcome", ("full_weeks", "partial_weeks"),
                  ("self_supporting_groups", "partial_groups", "employment_hours_per_month"))
    if s is None:
        return None
    self_supporting = c.groups(s.get("self_supporting_groups"), "outcome.self_supporting_groups")
    partial = c.groups(s.get("partial_groups"), "outcome.partial_groups")
    if s.get("self_supporting_groups") is None:
        self_supporting = DEFAULT_SELF_SUPPORTING_GROUPS
    if s.get("partial_groups") is None:
        partial = DEFAULT_PARTIAL_GROUPS
    if self_supporting and partial:
        for i, group in enumerate(partial):
            if group in self_supporting:
                c.fail(f"outcome.partial_groups[{i}]",
                       "a group that is not also self-supporting (a week of a group in both "
                       "lists would always be self_supporting)", group)
    hours = c.decimal(s.get("employment_hours_per_month"), "outcome.employment_hours_per_month",
                      HOURS, places=FRACTION_PLACES, minimum=Decimal(0), minimum_inclusive=False,
                      maximum=FRACTION_MAX)
    return OutcomeRules(
        self_supporting_groups=self_supporting,
        partial_groups=partial,
        employment_hours_per_month=hours,
        full_weeks=c.integer(s.get("full_weeks"), "outcome.full_weeks", 0, WEEKS_PER_YEAR),
        partial_weeks=c.integer(s.get("partial_weeks"), "outcome.partial_weeks", 0,
                                WEEKS_PER_YEAR),
    )


def _check_valuation(c: _Checker, value: object) -> Valuation | None:
    if value is None:
        return None
    s = c.section(value, "valuation", ("price_year",), ("weekly_rates",))
    if s is None:
        return None
    price_year = c.integer(s.get("price_year"), "valuation.price_year", 1)
    if price_year is not None and price_year not in c.reference.rates:
        known = ", ".join(str(y) for y in sorted(c.reference.rates)) or "none"
        c.fail("valuation.price_year", f"a price year of {RATES_FILE} ({known})",
               Decimal(price_year))
        price_year = None
    rates: dict[str, Decimal] = {}
    raw = s.get("weekly_rates")
    if raw is not None:
        if not isinstance(raw, dict):
            c.fail("valuation.weekly_rates", "a mapping of benefit group to weekly rate", raw)
        else:
            for key in getattr(raw, "duplicate_keys", ()):
                c.fail(f"valuation.weekly_rates.{key}", "each group written once",
                       got_text="the group a second time")
            for group, rate in raw.items():
                path = f"valuation.weekly_rates.{group}"
                if not isinstance(group, str) or group not in c.reference.groups:
                    c.fail(path, "a benefit group of benefit_groups.csv: one of "
                           + ", ".join(c.reference.groups), group)
                    continue
                if rate is None:
                    c.fail(path, WEEKLY_RATE, rate)
                    continue
                if (checked := c.amount(rate, path, WEEKLY_RATE)) is not None:
                    rates[group] = checked
    return Valuation(price_year=price_year, weekly_rates=MappingProxyType(rates))


def _resolve_rates(c: _Checker, valuation: Valuation | None):
    """Every benefit group's weekly rate: the terms' override, else the reference rate."""
    if valuation is None or valuation.price_year is None:
        return None
    resolved: dict[str, Decimal] = {}
    missing = []
    for group in c.reference.groups:
        rate = valuation.weekly_rates.get(group)
        if rate is None:
            rate = c.reference.rate(valuation.price_year, group)
        if rate is None:
            missing.append(group)
        else:
            resolved[group] = rate
    if missing:
        c.fail("valuation.weekly_rates",
               f"a weekly rate for every benefit group, here or in {RATES_FILE} for "
               f"price year {valuation.price_year}",
               got_text="no rate for " + ", ".join(missing))
    return MappingProxyType(resolved)


def _check_payment(c: _Checker, value: object, years: int | None):
    if value is None:
        return None
    if not isinstance(value, dict):
        c.fail("payment", "a mapping with the field mechanism and its terms", value)
        return None
    mechanism = value.get("mechanism")
    if mechanism not in MECHANISMS:  # the other fields cannot be checked without it
        if mechanism is None:
            c.fail("payment.mechanism", "a value: the field is required")
        else:
            c.fail("payment.mechanism", "one of " + ", ".join(MECHANISMS), mechanism)
        return None
    required, optional = _PAYMENT_FIELDS[mechanism]
    s = c.section(value, "payment", required, optional)
    if mechanism == "savings_share":
        return _check_savings_share(c, s, years)
    if mechanism == "rate_card":
        return _check_rate_card(c, s, years)
    return _check_cohort_target(c, s, years)


def _check_savings_share(c: _Checker, s: dict, years: int | None) -> SavingsShare:
    factors = None
    if (b := _subsection(c, s, "baseline", ("factors",), path="payment.baseline")) is not None:
        raw = c.list_of(b.get("factors"), "payment.baseline.factors",
                        "factors, one per follow-up year", allow_empty=False)
        if raw is not None:
            checked = []
            for i, f in enumerate(raw):
                if f is None:
                    c.fail(f"payment.baseline.factors[{i}]", FACTOR, f)
                checked.append(c.decimal(f, f"payment.baseline.factors[{i}]", FACTOR,
                                         places=FRACTION_PLACES, minimum=Decimal(0),
                                         maximum=FRACTION_MAX))
            if years is not None and len(raw) != years:
                c.fail("payment.baseline.factors",
                       f"exactly one factor per follow-up year ({years})",
                       got_text=f"{len(raw)} factor{'s' if len(raw) != 1 else ''}")
            factors = tuple(checked)
    when = s.get("count_savings_when")
    return SavingsShare(
        baseline=Baseline(factors),
        count_savings_when=(c.year_statuses(when, "payment.count_savings_when")
                            if when is not None else None),
        outlay=c.amount(s.get("outlay"), "payment.outlay"),
        investor_share=c.share(s.get("investor_share"), "payment.investor_share"),
        cap=c.amount(s.get("cap"), "payment.cap"),
    )


def _check_rate_card(c: _Checker, s: dict, years: int | None) -> RateCard:
    outcomes: list[RateCardOutcome] = []
    items = c.list_of(s.get("outcomes"), "payment.outcomes", "outcomes", allow_empty=False)
    for i, item in enumerate(items or ()):
        outcome = _check_rate_card_outcome(c, item, f"payment.outcomes[{i}]", years)
        if outcome is not None:
            outcomes.append(outcome)
    if items is not None and len(outcomes) == len(items):
        _check_requirements(c, outcomes)
    return RateCard(
        outcomes=tuple(outcomes),
        cap_per_participant=c.amount(s.get("cap_per_participant"), "payment.cap_per_participant"),
        cap_total=c.amount(s.get("cap_total"), "payment.cap_total"),
    )


def _check_rate_card_outcome(c: _Checker, item: object, path: str,
                             years: int | None) -> RateCardOutcome | None:
    if not isinstance(item, dict):
        c.fail(path, "a mapping with the fields of an outcome (id, kind, price, …)", item)
        return None
    kind = item.get("kind")
    if kind not in OUTCOME_KINDS:  # the other fields depend on the kind
        if kind is None:
            c.fail(f"{path}.kind", "a value: the field is required")
        else:
            c.fail(f"{path}.kind", "one of " + ", ".join(OUTCOME_KINDS), kind)
        return None
    required, optional = _OUTCOME_FIELDS[kind]
    s = c.section(item, path, required, optional)
    before = len(c.issues)
    outcome_id = s.get("id")
    if outcome_id is not None and (not isinstance(outcome_id, str)
                                   or not OUTCOME_ID.match(outcome_id)):
        c.fail(f"{path}.id", "an outcome id of characters a–z, 0–9, '_' and '-'", outcome_id)
    requires = s.get("requires")
    if requires is not None and not isinstance(requires, str):
        c.fail(f"{path}.requires", "the id of another outcome of this contract", requires)
    price = c.amount(s.get("price"), f"{path}.price")
    max_week = years * WEEKS_PER_YEAR if years is not None else INTEGER_MAX
    span = f" ({max_week})" if years is not None else ""
    if kind == "streak":
        within = c.integer(s.get("within_weeks"), f"{path}.within_weeks", 1, max_week,
                           expected=f"a number of weeks from 1 to 52 × follow_up.years{span}")
        limit = within if within is not None else max_week
        limit_text = (f"within_weeks ({within})" if within is not None
                      else f"52 × follow_up.years{span}")
        weeks = c.integer(s.get("weeks"), f"{path}.weeks", 1, limit,
                          expected=f"a streak length in weeks from 1 to {limit_text}")
        statuses = (c.week_statuses(s.get("statuses"), f"{path}.statuses")
                    if s.get("statuses") is not None else DEFAULT_STREAK_STATUSES)
        outcome = RateCardOutcome(outcome_id, kind, price, statuses, requires,
                                  weeks=weeks, within_weeks=within)
    else:
        statuses = c.year_statuses(s.get("statuses"), f"{path}.statuses")
        raw_years = c.list_of(s.get("years"), f"{path}.years", "follow-up years",
                              allow_empty=False)
        checked: list[int | None] = []
        for j, y in enumerate(raw_years or ()):
            year_path = f"{path}.years[{j}]"
            value = c.follow_up_year(y, year_path, years) if y is not None else None
            if y is None:
                c.fail(year_path, "a follow-up year", y)
            elif value is not None and value in checked:
                c.fail(year_path, "each follow-up year listed once",
                       got_text=f"{value} a second time")
            checked.append(value)
        outcome = RateCardOutcome(outcome_id, kind, price, statuses, requires,
                                  years=tuple(checked))
    return outcome if len(c.issues) == before else None


def _check_requirements(c: _Checker, outcomes: list[RateCardOutcome]) -> None:
    """Outcome ids unique; `requires` names another outcome; no cycles."""
    position: dict[str, int] = {}
    for i, outcome in enumerate(outcomes):
        if outcome.id in position:
            c.fail(f"payment.outcomes[{i}].id", "an outcome id unique within the contract",
                   got_text=f"{outcome.id!r}, already the id of payment.outcomes"
                            f"[{position[outcome.id]}]")
            return
        position[outcome.id] = i
    ok = True
    for i, outcome in enumerate(outcomes):
        if outcome.requires is None:
            continue
        others = [o.id for o in outcomes if o.id != outcome.id]
        if outcome.requires == outcome.id or outcome.requires not in position:
            c.fail(f"payment.outcomes[{i}].requires",
                   "the id of another outcome of this contract: one of "
                   + (", ".join(others) or "(there is none)"), outcome.requires)
            ok = False
    if not ok:
        return
    requires = {o.id: o.requires for o in outcomes}
    reported: set[str] = set()
    for outcome in outcomes:
        chain = [outcome.id]
        current = requires[outcome.id]
        while current is not None and current not in chain:
            chain.append(current)
            current = requires[current]
        if current is None:
            continue
        cycle = chain[chain.index(current):]
        if reported.intersection(cycle):
            continue
        reported.update(cycle)
        first = min(cycle, key=position.__getitem__)
        start = cycle.index(first)
        ordered = cycle[start:] + cycle[:start] + [first]
        c.fail(f"payment.outcomes[{position[first]}].requires",
               "requirements without a cycle", got_text=" → ".join(ordered))


def _check_cohort_target(c: _Checker, s: dict, years: int | None) -> CohortTarget:
    below = s.get("below_target")
    if below is not None and below not in BELOW_TARGET:
        c.fail("payment.below_target", "one of " + ", ".join(BELOW_TARGET), below)
        below = None
    return CohortTarget(
        year=(c.follow_up_year(s.get("year"), "payment.year", years)),
        statuses=(c.year_statuses(s.get("statuses"), "payment.statuses")
                  if s.get("statuses") is not None else None),
        target_share=c.share(s.get("target_share"), "payment.target_share"),
        amount=c.amount(s.get("amount"), "payment.amount"),
        below_target=below,
    )
