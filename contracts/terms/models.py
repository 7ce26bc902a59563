"""The contract terms as pydantic models, one per mapping of the terms YAML (`docs/contract-terms.md`).

Every model refuses unknown fields and is frozen; a field written as `null` counts as not
written. `payment` is a union discriminated by `mechanism`, rate-card outcomes one
discriminated by `kind`. Checks across fields read the fields validated before them
(`info.data`), so a mistake in one field is reported once and the checks that depend on it are
skipped; checks against the reference data and `follow_up.years` read the `TermsContext`.
"""

from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from types import MappingProxyType
from typing import Annotated, Any, Literal, get_args

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)

from contracts.terms.issues import describe
from contracts.terms.reference import RATES_FILE, ReferenceData, TermsContext, TermsFile
from contracts.terms.values import (
    INTEGER_MAX,
    WEEKS_PER_YEAR,
    Amount,
    BenefitGroup,
    BenefitGroups,
    ContractId,
    Count,
    Day,
    Factor,
    FollowUpYear,
    Hours,
    OutcomeId,
    OutcomeRef,
    Positive,
    RateGroup,
    Savings,
    Share,
    Text,
    WeeklyRate,
    WeeksInYear,
    WeekStatuses,
    YearStatuses,
    at_most,
    fail,
    known_price_year,
    listing,
    max_week,
    one_of,
    problems,
    terms_context,
    whole_number,
)

BELOW_TARGET = ("nothing", "pro_rata")
VALUATION_BASES = ("gross", "municipal_net")

DEFAULT_SELF_SUPPORTING_GROUPS = ("none", "education", "leave")
DEFAULT_PARTIAL_GROUPS: tuple[str, ...] = ()
DEFAULT_STREAK_STATUSES = ("self_supporting",)
DEFAULT_VERIFICATION_LAG_MONTHS = 2


class Section(BaseModel):
    """A mapping of the terms file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @model_validator(mode="before")
    @classmethod
    def _null_is_not_written(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {key: value for key, value in data.items() if value is not None}
        return data


class Parties(Section):
    payer: Text
    investor: Text
    provider: Text


class Cohort(Section):
    start_from: Day  # inclusive
    start_to: Day  # inclusive
    max_participants: Count | None = None

    @field_validator("start_to")
    @classmethod
    def _window_in_order(cls, start_to, info: ValidationInfo):
        start_from = info.data.get("start_from")
        if start_from is not None and start_from > start_to:
            raise fail(f"a date on or after cohort.start_from ({start_from})", describe(start_to))
        return start_to


class FollowUp(Section):
    years: whole_number(1, INTEGER_MAX // WEEKS_PER_YEAR, "a whole number ≥ 1")


class OutcomeRules(Section):
    self_supporting_groups: BenefitGroups = DEFAULT_SELF_SUPPORTING_GROUPS
    partial_groups: BenefitGroups = DEFAULT_PARTIAL_GROUPS
    employment_hours_per_month: Hours | None = None
    full_weeks: WeeksInYear
    partial_weeks: WeeksInYear

    @field_validator("partial_groups")
    @classmethod
    def _not_also_self_supporting(cls, partial, info: ValidationInfo):
        self_supporting = info.data.get("self_supporting_groups", ())
        problems(((i,), group, fail("a group that is not also self-supporting (a week of a group in "
                                    "both lists would always be self_supporting)", describe(group)))
                 for i, group in enumerate(partial) if group in self_supporting)
        return partial


def _read_only(rates: Mapping[str, Decimal]) -> Mapping[str, Decimal]:
    return MappingProxyType(dict(rates))


def resolve_rates(reference: ReferenceData, price_year: int,
                  overrides: Mapping[str, Decimal]) -> tuple[dict[str, Decimal], list[str]]:
    """Every benefit group's weekly rate (the override, else the reference rate), and the groups
    that have neither."""
    resolved, missing = {}, []
    for group in reference.groups:
        rate = overrides.get(group, reference.rate(price_year, group))
        if rate is None:
            missing.append(group)
        else:
            resolved[group] = rate
    return resolved, missing


class Valuation(Section):
    price_year: Annotated[whole_number(1), AfterValidator(known_price_year)]
    weekly_rates: Annotated[Mapping[RateGroup, WeeklyRate], AfterValidator(_read_only)] = Field(
        default_factory=dict, validate_default=True)  # the overrides as written
    basis: one_of(*VALUATION_BASES) = "gross"
    _resolved: Mapping[str, Decimal] = PrivateAttr()

    @field_validator("weekly_rates")
    @classmethod
    def _every_group_has_a_rate(cls, overrides, info: ValidationInfo):
        year = info.data.get("price_year")
        if year is not None:
            _, missing = resolve_rates(terms_context(info).reference, year, overrides)
            if missing:
                raise fail(f"a weekly rate for every benefit group, here or in {RATES_FILE} for "
                           f"price year {year}", "no rate for " + ", ".join(missing))
        return overrides

    @model_validator(mode="after")
    def _resolve(self, info: ValidationInfo):
        resolved, _ = resolve_rates(terms_context(info).reference, self.price_year, self.weekly_rates)
        self._resolved = MappingProxyType(resolved)
        return self

    @property
    def resolved_rates(self) -> Mapping[str, Decimal]:
        """Every benefit group → DKK/week: the override where given, else the reference rate."""
        return self._resolved


class Budget(Section):
    payment_account: Text | None = None


def _one_per_follow_up_year(what: str):
    def check(values: tuple, info: ValidationInfo) -> tuple:
        years = terms_context(info).follow_up_years
        if years is not None and len(values) != years:
            raise fail(f"exactly one {what} per follow-up year ({years})",
                       f"{len(values)} {what}{'s' if len(values) != 1 else ''}")
        return values

    return AfterValidator(check)


class Baseline(Section):
    factors: Annotated[listing(Factor, "factors, one per follow-up year", allow_empty=False),
                       _one_per_follow_up_year("factor")]

    def factor(self, follow_up_year: int) -> Decimal:
        """The factor of follow-up year k (1-based)."""
        return self.factors[follow_up_year - 1]


class SavingsShare(Section):
    mechanism: Literal["savings_share"]
    baseline: Baseline
    count_savings_when: YearStatuses | None = None  # None: every complete year counts
    outlay: Amount
    investor_share: Share
    cap: Amount | None = None


class StreakOutcome(Section):
    id: OutcomeId
    kind: Literal["streak"]
    within_weeks: Positive | None = None
    weeks: Positive
    statuses: WeekStatuses = DEFAULT_STREAK_STATUSES
    requires: OutcomeRef | None = None
    price: Amount

    @field_validator("within_weeks", mode="wrap")
    @classmethod
    def _window_in_follow_up(cls, value, handler, info: ValidationInfo):
        last, words = max_week(info)
        return at_most(value, handler, last, f"a number of weeks from 1 to {words}")

    @field_validator("weeks", mode="wrap")
    @classmethod
    def _fits_its_window(cls, value, handler, info: ValidationInfo):
        within = info.data.get("within_weeks")
        last, words = (within, f"within_weeks ({within})") if within is not None else max_week(info)
        return at_most(value, handler, last, f"a streak length in weeks from 1 to {words}")


class YearStatusOutcome(Section):
    id: OutcomeId
    kind: Literal["year_status"]
    statuses: YearStatuses
    years: listing(FollowUpYear, "follow-up years", allow_empty=False,
                   once="each follow-up year listed once")
    requires: OutcomeRef | None = None
    price: Amount


RateCardOutcome = Annotated[StreakOutcome | YearStatusOutcome, Field(discriminator="kind")]


def _requirement_problems(outcomes: tuple[StreakOutcome | YearStatusOutcome, ...]):
    """Outcome ids unique; `requires` names another outcome; no cycles — as (position, value, problem)."""
    position: dict[str, int] = {}
    for i, outcome in enumerate(outcomes):
        if outcome.id in position:
            return [((i, "id"), outcome.id, fail(
                "an outcome id unique within the contract",
                f"{outcome.id!r}, already the id of payment.outcomes[{position[outcome.id]}]"))]
        position[outcome.id] = i
    unknown = []
    for i, outcome in enumerate(outcomes):
        if outcome.requires is not None and (outcome.requires == outcome.id
                                             or outcome.requires not in position):
            others = [o.id for o in outcomes if o.id != outcome.id]
            unknown.append(((i, "requires"), outcome.requires, fail(
                "the id of another outcome of this contract: one of "
                + (", ".join(others) or "(there is none)"), describe(outcome.requires))))
    if unknown:
        return unknown
    requires = {o.id: o.requires for o in outcomes}
    cycles, reported = [], set()
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
        cycles.append(((position[first], "requires"), requires[first],
                       fail("requirements without a cycle", " → ".join(ordered))))
    return cycles


class RateCard(Section):
    mechanism: Literal["rate_card"]
    outcomes: listing(RateCardOutcome, "outcomes", allow_empty=False)
    cap_per_participant: Amount | None = None
    cap_total: Amount | None = None

    @field_validator("outcomes")
    @classmethod
    def _requirements(cls, outcomes):
        problems(_requirement_problems(outcomes))
        return outcomes

    def outcome(self, outcome_id: str) -> StreakOutcome | YearStatusOutcome:
        return next(o for o in self.outcomes if o.id == outcome_id)


class CohortTarget(Section):
    mechanism: Literal["cohort_target"]
    year: FollowUpYear
    statuses: YearStatuses
    target_share: Share
    amount: Amount
    below_target: one_of(*BELOW_TARGET)


Payment = Annotated[SavingsShare | RateCard | CohortTarget, Field(discriminator="mechanism")]


def _tags(union: Any, discriminator: str) -> tuple[str, ...]:
    return tuple(get_args(m.model_fields[discriminator].annotation)[0]
                 for m in get_args(get_args(union)[0]))


MECHANISMS = _tags(Payment, "mechanism")  # savings_share, rate_card, cohort_target
OUTCOME_KINDS = _tags(RateCardOutcome, "kind")  # streak, year_status


class Forecast(Section):
    """The business case for the budget forecast (`finance.md`), and the verification lag."""

    participants: Count | None = None
    savings_per_participant_year: Annotated[
        listing(Savings, "savings, one per follow-up year", allow_empty=False),
        _one_per_follow_up_year("amount")] | None = None
    savings_group: BenefitGroup | None = None
    success_share: Share | None = None
    verification_lag_months: Count = DEFAULT_VERIFICATION_LAG_MONTHS

    @model_validator(mode="after")
    def _figures_go_together(self):
        found = []
        if self.savings_per_participant_year is not None and self.savings_group is None:
            found.append(("savings_group", "a value: the field is required with savings_per_participant_year"))
        if self.savings_group is not None and self.savings_per_participant_year is None:
            found.append(("savings_per_participant_year", "a value: the field is required with savings_group"))
        given = [f for f in ("savings_per_participant_year", "success_share") if getattr(self, f) is not None]
        if given and self.participants is None:
            found.append(("participants", f"a value: the field is required with {given[0]} "
                                          "(the business case's expected cohort size)"))
        problems(((field,), None, fail(words)) for field, words in found)
        return self

    @property
    def has_business_case(self) -> bool:
        return self.participants is not None


def _forecast_problems(forecast: Forecast, payment: object, cohort: Cohort | None):
    """What the business case must and must not say for the contract's mechanism and cohort."""
    mechanism = getattr(payment, "mechanism", None)
    savings_fields = ("savings_per_participant_year", "savings_group")
    if mechanism == "savings_share":
        needed, refused = savings_fields, ("success_share",)
        refusal = "a field of a rate_card or cohort_target business case (expected share achieving)"
    elif mechanism in ("rate_card", "cohort_target"):
        needed, refused = ("success_share",), savings_fields
        refusal = ("a field of a savings_share business case: only a contract with a baseline "
                   "has savings")
    else:  # payment is itself invalid: reported there
        return []
    found = [((f,), getattr(forecast, f), fail(refusal, f"a {mechanism} contract"))
             for f in refused if getattr(forecast, f) is not None]
    if forecast.has_business_case:
        found += [((f,), None, fail(f"a value: the field is required in a {mechanism} business case"))
                  for f in needed if getattr(forecast, f) is None]
        cap = cohort.max_participants if cohort is not None else None
        if cap is not None and forecast.participants > cap:
            found.append((("participants",), forecast.participants,
                          fail(f"at most cohort.max_participants ({cap})", describe(forecast.participants))))
    return found


class ContractTerms(Section):
    """One contract's validated terms, with defaults applied, and the file they came from."""

    id: ContractId
    name: Text
    parties: Parties
    cohort: Cohort
    follow_up: FollowUp
    outcome: OutcomeRules
    valuation: Valuation
    budget: Budget = Field(default_factory=Budget)
    payment: Payment
    forecast: Forecast = Field(default_factory=Forecast)
    _file: TermsFile = PrivateAttr()

    @classmethod
    def from_document(cls, document: object, *, reference: ReferenceData,
                      file: TermsFile) -> "ContractTerms":
        """Validate one parsed terms file; raises pydantic's `ValidationError` (see `messages`)."""
        years = None
        if isinstance(document, dict):
            try:
                years = FollowUp.model_validate(document.get("follow_up")).years
            except ValidationError:
                pass  # reported by the validation below
        context = TermsContext(reference=reference, follow_up_years=years, file=file)
        return cls.model_validate(document, context=context)

    @field_validator("forecast")
    @classmethod
    def _business_case_fits(cls, forecast, info: ValidationInfo):
        problems(_forecast_problems(forecast, info.data.get("payment"), info.data.get("cohort")))
        return forecast

    @model_validator(mode="after")
    def _remember_file(self, info: ValidationInfo):
        file = terms_context(info).file
        if file is None:
            raise TypeError("ContractTerms needs the TermsFile in its TermsContext")
        self._file = file
        return self

    @property
    def mechanism(self) -> str:
        return self.payment.mechanism

    @property
    def uses_employment_hours(self) -> bool:
        return self.outcome.employment_hours_per_month is not None

    @property
    def has_baseline(self) -> bool:
        return isinstance(self.payment, SavingsShare)

    @property
    def weekly_rates(self) -> Mapping[str, Decimal]:
        """Every benefit group → DKK/week, resolved (`Valuation.resolved_rates`)."""
        return self.valuation.resolved_rates

    @property
    def path(self) -> Path:
        return self._file.path

    @property
    def terms_sha256(self) -> str:
        """SHA-256 (hex) of the file's bytes."""
        return self._file.sha256

    @property
    def terms_yaml(self) -> str:
        """The file's text, as read."""
        return self._file.text
