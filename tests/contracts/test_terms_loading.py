"""Loading valid terms: exact decimals, dates, defaults, the folder, the example contracts."""

from __future__ import annotations

import hashlib
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from pydantic import ValidationError

from contracts.terms import (
    DEFAULT_VERIFICATION_LAG_MONTHS,
    CohortTarget,
    RateCard,
    SavingsShare,
    TermsError,
    load_terms_file,
    load_terms_folder,
)
from contracts.terms.exact_yaml import UnreadableScalar, read_terms_yaml
from tests.contracts.terms_cases import (
    COHORT,
    COHORT_FORECAST,
    EXAMPLES_DIR,
    RATE_CARD,
    RATE_CARD_FORECAST,
    REFERENCE_DIR,
    SAVINGS,
    SAVINGS_FORECAST,
    TermsFolder,
    edit,
)

DEFAULT_TERMS_FOLDER = Path(__file__).resolve().parents[2] / "contracts" / "terms"


def _walk(value):
    yield value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _walk(k)
            yield from _walk(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk(v)


# -- exact numbers ---------------------------------------------------------------------------
def test_numbers_keep_their_text():
    document = read_terms_yaml(
        "a: 0.1\nb: 3200000.00\nc: 1.0\nd: 3\ne: -0.5\nf: [0.3333333333, 2844.46]\n"
    )
    assert {k: str(v) for k, v in document.items() if k != "f"} == {
        "a": "0.1", "b": "3200000.00", "c": "1.0", "d": "3", "e": "-0.5"}
    assert [str(v) for v in document["f"]] == ["0.3333333333", "2844.46"]
    assert not any(isinstance(v, float) for v in _walk(document))


@pytest.mark.parametrize("text", ["1_000", "0x1f", "0o17", "010", ".5", "5.", ".inf", ".nan",
                                  "1:30", "1.0e+3", "!!float 1e3"])
def test_other_number_notations_are_neither_floats_nor_decimals(text):
    """They are reported as not plain decimal notation (or as text where YAML 1.1 reads text)."""
    value = read_terms_yaml(f"v: {text}\n")["v"]
    assert isinstance(value, (UnreadableScalar, str)), value


def test_explicit_float_tag_is_still_exact():
    assert read_terms_yaml("v: !!float 0.1\n")["v"] == Decimal("0.1")


def test_terms_decimals_are_exact(terms_folder: TermsFolder):
    text = edit(SAVINGS, "investor_share: 0.5", "investor_share: 0.1")
    text = edit(text, "factors: [1.0, 1.0, 1.0]", "factors: [1.0, 0.9999999999, 1.05]")
    terms = terms_folder.load_one(text)
    p = terms.payment
    assert isinstance(p, SavingsShare)
    assert p.investor_share == Decimal("0.1") and str(p.investor_share) == "0.1"
    assert str(p.outlay) == "3200000.00"
    assert str(p.cap) == "4500000.00"
    assert [str(f) for f in p.baseline.factors] == ["1.0", "0.9999999999", "1.05"]
    assert p.baseline.factor(2) == Decimal("0.9999999999")
    assert str(terms.outcome.employment_hours_per_month) == "40.08"
    assert str(terms.valuation.weekly_rates["kontanthjaelp"]) == "2844.46"
    for value in (p.investor_share, p.outlay, p.cap, *p.baseline.factors):
        assert isinstance(value, Decimal)


def test_trailing_zeros_do_not_count_as_places(terms_folder: TermsFolder):
    text = edit(SAVINGS, "outlay: 3200000.00", "outlay: 3200000.000")
    text = edit(text, "investor_share: 0.5", "investor_share: 0.500000000000")
    p = terms_folder.load_one(text).payment
    assert p.outlay == Decimal("3200000") and p.investor_share == Decimal("0.5")


def test_negative_zero_is_zero(terms_folder: TermsFolder):
    p = terms_folder.load_one(edit(SAVINGS, "cap: 4500000.00", "cap: -0.00")).payment
    assert p.cap == 0 and not p.cap.is_signed()


def test_dates_are_dates(terms_folder: TermsFolder):
    terms = terms_folder.load_one(SAVINGS)
    assert terms.cohort.start_from == date(2023, 1, 1)
    assert terms.cohort.start_to == date(2024, 6, 30)
    assert type(terms.cohort.start_from) is date


# -- defaults --------------------------------------------------------------------------------
def test_defaults(terms_folder: TermsFolder):
    text = edit(SAVINGS, "  self_supporting_groups: [none, education, leave]\n", "")
    text = edit(text, "  partial_groups: [fleksjob]\n", "")
    text = edit(text, "  employment_hours_per_month: 40.08\n", "")
    text = edit(text, "  max_participants: 100\n", "")
    text = edit(text, "  count_savings_when: [full, partial]\n", "")
    text = edit(text, "  cap: 4500000.00\n", "")
    text = edit(text, 'budget:\n  payment_account: "5.68.90"\n', "")
    text = edit(text, "  weekly_rates: {kontanthjaelp: 2844.46}\n", "")
    terms = terms_folder.load_one(text)
    assert terms.outcome.self_supporting_groups == ("none", "education", "leave")
    assert terms.outcome.partial_groups == ()
    assert terms.outcome.employment_hours_per_month is None
    assert not terms.uses_employment_hours
    assert terms.cohort.max_participants is None
    assert terms.budget.payment_account is None
    assert terms.valuation.weekly_rates == {}
    assert terms.payment.count_savings_when is None
    assert terms.payment.cap is None


def test_null_optional_field_is_absent(terms_folder: TermsFolder):
    terms = terms_folder.load_one(edit(SAVINGS, "partial_groups: [fleksjob]", "partial_groups:"))
    assert terms.outcome.partial_groups == ()


def test_streak_statuses_default(terms_folder: TermsFolder):
    card = terms_folder.load_one(RATE_CARD).payment
    assert isinstance(card, RateCard)
    assert card.outcome("job_entry_13w").statuses == ("self_supporting",)
    assert card.outcome("self_supporting_year").statuses == ("full",)
    text = edit(RATE_CARD, "weeks: 13, within_weeks: 78",
                "weeks: 13, within_weeks: 78, statuses: [self_supporting, partial]")
    card = terms_folder.load_one(text).payment
    assert card.outcome("job_entry_13w").statuses == ("self_supporting", "partial")


def test_empty_self_supporting_list_is_kept(terms_folder: TermsFolder):
    text = edit(SAVINGS, "self_supporting_groups: [none, education, leave]",
                "self_supporting_groups: []")
    assert terms_folder.load_one(text).outcome.self_supporting_groups == ()


def test_resolved_weekly_rates(terms_folder: TermsFolder):
    text = edit(SAVINGS, "{kontanthjaelp: 2844.46}", "{kontanthjaelp: 3000.00}")
    terms = terms_folder.load_one(text)
    assert terms.weekly_rates["kontanthjaelp"] == Decimal("3000.00")  # the override
    assert terms.weekly_rates["dagpenge"] == Decimal("4698.23")  # benefit_rates.csv, 2024
    assert list(terms.weekly_rates)[:3] == ["none", "education", "leave"]
    assert len(terms.weekly_rates) == 14


# -- the file and the folder -----------------------------------------------------------------
def test_file_identity(terms_folder: TermsFolder):
    path = terms_folder.write(SAVINGS, "savings.yaml")
    (terms,) = terms_folder.load()
    assert terms.path == path
    assert terms.terms_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert terms.terms_yaml == SAVINGS
    assert terms.mechanism == "savings_share" and terms.has_baseline
    assert terms.uses_employment_hours


def test_folder_reads_yml_and_yaml_only(terms_folder: TermsFolder):
    terms_folder.write(SAVINGS, "b.yml")
    terms_folder.write(COHORT, "a.yaml")
    terms_folder.write("not: terms", "notes.txt")
    terms_folder.write("not: terms", ".hidden.yml")
    (terms_folder.folder / "sub").mkdir()
    (terms_folder.folder / "sub" / "c.yml").write_text(RATE_CARD, encoding="utf-8")
    assert [t.id for t in terms_folder.load()] == ["cohort-test", "savings-test"]


def test_empty_folder(terms_folder: TermsFolder):
    assert terms_folder.load() == []


def test_terms_are_frozen(terms_folder: TermsFolder):
    terms = terms_folder.load_one(COHORT)
    with pytest.raises(ValidationError, match="frozen"):
        terms.id = "other"  # type: ignore[misc]
    with pytest.raises(ValidationError, match="frozen"):
        terms.payment.amount = Decimal(0)  # type: ignore[misc]
    with pytest.raises(TypeError):
        terms.weekly_rates["none"] = Decimal(1)  # type: ignore[index]


def test_default_folder_holds_no_terms():
    """The default terms folder of a checkout is the loader's package: its modules are not read,
    and no terms file may be kept there (the examples live in contracts/examples/)."""
    assert (DEFAULT_TERMS_FOLDER / "__init__.py").is_file()
    assert load_terms_folder(DEFAULT_TERMS_FOLDER, REFERENCE_DIR) == []


def test_load_terms_file(tmp_path):
    path = tmp_path / "cohort.yml"
    path.write_text(COHORT, encoding="utf-8")
    assert load_terms_file(path, REFERENCE_DIR).id == "cohort-test"
    path.write_text(edit(COHORT, "amount: 1500000.00", "amount: x"), encoding="utf-8")
    with pytest.raises(TermsError, match="payment.amount"):
        load_terms_file(path, REFERENCE_DIR)


def test_missing_reference_file(tmp_path):
    with pytest.raises(TermsError, match="benefit_groups.csv"):
        load_terms_folder(tmp_path, tmp_path)


# -- the example contracts -------------------------------------------------------------------
def test_examples_load():
    contracts = {t.id: t for t in load_terms_folder(EXAMPLES_DIR, REFERENCE_DIR)}
    assert set(contracts) == {"brondby-dsi-tuba", "impact60-aalborg", "jobcenter-rate-card"}
    for terms in contracts.values():
        assert terms.cohort.start_from == date(2023, 1, 1)
        # the IMPACT60-style cohort closes early, so its target year is measured in the demo months
        assert terms.cohort.start_to == (date(2023, 10, 31) if terms.id == "impact60-aalborg" else date(2024, 6, 30))
        assert terms.valuation.price_year == 2024
        assert terms.path.name == f"{terms.id}.yml"

    brondby = contracts["brondby-dsi-tuba"]
    p = brondby.payment
    assert isinstance(p, SavingsShare)
    assert (p.outlay, p.investor_share) == (Decimal("3200000.00"), Decimal("0.5"))
    assert p.baseline.factors == (Decimal("1.0"),) * 3
    assert brondby.follow_up.years == 3 and brondby.cohort.max_participants == 100
    assert brondby.outcome.partial_groups == ("fleksjob",)
    assert brondby.valuation.weekly_rates == {"kontanthjaelp": Decimal("2844.46")}
    assert brondby.budget.payment_account == "5.68.90"

    impact = contracts["impact60-aalborg"]
    p = impact.payment
    assert isinstance(p, CohortTarget)
    assert (p.year, p.statuses, p.target_share, p.amount, p.below_target) == (
        1, ("full", "partial"), Decimal("0.5"), Decimal("1500000.00"), "pro_rata")
    assert impact.outcome.employment_hours_per_month == Decimal("40.08")
    assert impact.uses_employment_hours

    card = contracts["jobcenter-rate-card"].payment
    assert isinstance(card, RateCard)
    assert [(o.id, o.kind, o.price) for o in card.outcomes] == [
        ("job_entry_13w", "streak", Decimal("20000.00")),
        ("sustained_26w", "streak", Decimal("15000.00")),
        ("self_supporting_year", "year_status", Decimal("30000.00")),
    ]
    assert card.outcome("sustained_26w").requires == "job_entry_13w"
    assert card.outcome("self_supporting_year").years == (1, 2, 3)
    assert (card.cap_per_participant, card.cap_total) == (Decimal("60000.00"),
                                                          Decimal("2000000.00"))


def test_hours_threshold_with_more_than_two_decimals_is_kept_exactly(tmp_path) -> None:
    """The spec sets no limit on the threshold's decimals; it is compared exactly."""
    folder = tmp_path / "terms"
    folder.mkdir()
    text = (EXAMPLES_DIR / "impact60-aalborg.yml").read_text(encoding="utf-8")
    assert "employment_hours_per_month: 40.08\n" in text
    (folder / "impact60-aalborg.yml").write_text(
        text.replace("employment_hours_per_month: 40.08\n", "employment_hours_per_month: 40.083\n"), encoding="utf-8")
    (terms,) = load_terms_folder(folder, REFERENCE_DIR)
    assert terms.outcome.employment_hours_per_month == Decimal("40.083")


# -- valuation basis and the business case ---------------------------------------------------
def test_valuation_basis(terms_folder: TermsFolder):
    assert terms_folder.load_one(SAVINGS).valuation.basis == "gross"
    text = edit(SAVINGS, "price_year: 2024", "price_year: 2024\n  basis: municipal_net")
    assert terms_folder.load_one(text).valuation.basis == "municipal_net"


def test_business_case_is_exact(terms_folder: TermsFolder):
    """The spec's Brøndby-shaped business case: 100 participants × 55,000.00 over three years."""
    forecast = terms_folder.load_one(SAVINGS_FORECAST).forecast
    assert forecast.has_business_case and forecast.participants == 100
    assert [str(s) for s in forecast.savings_per_participant_year] == ["18333.33", "18333.33",
                                                                      "18333.34"]
    assert forecast.participants * sum(forecast.savings_per_participant_year) == Decimal("5500000.00")
    assert (forecast.savings_group, forecast.success_share) == ("kontanthjaelp", None)
    assert forecast.verification_lag_months == 3


def test_success_share_business_cases(terms_folder: TermsFolder):
    card = terms_folder.load_one(RATE_CARD_FORECAST).forecast
    assert (card.participants, card.success_share, card.savings_per_participant_year) == (
        80, Decimal("0.25"), None)
    cohort = terms_folder.load_one(COHORT_FORECAST).forecast
    assert (cohort.participants, cohort.success_share) == (84, Decimal("0.5"))
    assert cohort.verification_lag_months == 2


def test_no_business_case(terms_folder: TermsFolder):
    forecast = terms_folder.load_one(COHORT).forecast
    assert not forecast.has_business_case
    assert forecast.verification_lag_months == DEFAULT_VERIFICATION_LAG_MONTHS == 2
    lag_only = terms_folder.load_one(COHORT + "forecast: {verification_lag_months: 0}\n").forecast
    assert not lag_only.has_business_case and lag_only.verification_lag_months == 0


def test_business_case_savings_may_be_negative(terms_folder: TermsFolder):
    """A business case may expect a year to cost more than the baseline (exact, 2 decimals)."""
    text = edit(SAVINGS_FORECAST, "[18333.33, 18333.33, 18333.34]", "[-2500.50, 0, 57500.50]")
    forecast = terms_folder.load_one(text).forecast
    assert forecast.savings_per_participant_year == (Decimal("-2500.50"), Decimal(0),
                                                     Decimal("57500.50"))


def test_business_case_of_zero_participants(terms_folder: TermsFolder):
    text = edit(COHORT_FORECAST, "participants: 84", "participants: 0")
    assert terms_folder.load_one(text).forecast.participants == 0
