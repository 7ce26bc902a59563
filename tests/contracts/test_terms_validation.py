"""One minimal failing terms file per validation rule of `contracts.md`.

Each case changes one thing in a valid file (`conftest.py`) and checks that the run-stopping
message names the file, the field (dotted path) and what was expected — and that one mistake
gives exactly one message.
"""

from __future__ import annotations

import pytest

from tests.contracts.terms_cases import BASES, COHORT, RATE_CARD, REFERENCE_DIR, SAVINGS, TermsFolder, edit

# (rule, base, old text, new text, field named, fragment of the expectation)
CASES = [
    # -- identity ----------------------------------------------------------------------------
    ("id_characters", "savings", "id: savings-test", "id: Savings_Test",
     "id", "3–64 characters a–z, 0–9 and '-'"),
    ("id_too_short", "savings", "id: savings-test", "id: ab", "id", "3–64 characters"),
    ("id_too_long", "savings", "id: savings-test", "id: " + "a" * 65, "id", "3–64 characters"),
    ("id_not_text", "savings", "id: savings-test", "id: 123", "id", "3–64 characters"),
    ("name_required", "savings", "name: Savings test\n", "", "name", "the field is required"),
    ("name_empty", "savings", "name: Savings test", "name: ''", "name", "a non-empty text"),
    ("name_boolean", "savings", "name: Savings test", "name: yes", "name", "a non-empty text"),
    ("parties_required", "savings",
     "parties: {payer: Kommune, investor: Fund, provider: Provider}\n", "",
     "parties", "the field is required"),
    ("party_required", "savings", "investor: Fund, ", "", "parties.investor", "required"),
    ("party_text", "savings", "payer: Kommune", "payer: 5.68", "parties.payer",
     "a non-empty text"),
    # -- unknown and repeated fields ---------------------------------------------------------
    ("unknown_top_field", "savings", "name: Savings test\n", "name: Savings test\ncolour: blue\n",
     "colour", "one of the fields allowed here"),
    ("unknown_nested_field", "savings", "  max_participants: 100\n",
     "  max_participants: 100\n  start: 2023-01-01\n", "cohort.start", "one of the fields allowed here"),
    ("other_mechanisms_field", "savings", "  cap: 4500000.00\n",
     "  cap: 4500000.00\n  cap_total: 1.00\n", "payment.cap_total", "one of the fields allowed here"),
    ("year_status_field_on_streak", "rate_card", "weeks: 13, within_weeks: 78",
     "weeks: 13, within_weeks: 78, years: [1]", "payment.outcomes[0].years", "one of the fields allowed here"),
    ("duplicate_field", "savings", "name: Savings test\n", "name: Savings test\nname: Again\n",
     "name", "each field written once"),
    # -- cohort and follow-up ----------------------------------------------------------------
    ("date_invalid", "savings", "start_from: 2023-01-01", "start_from: 2023-02-30",
     "cohort.start_from", "a date written YYYY-MM-DD"),
    ("date_with_time", "savings", "start_from: 2023-01-01", "start_from: 2023-01-01 10:00:00",
     "cohort.start_from", "a date written YYYY-MM-DD"),
    ("date_quoted", "savings", "start_from: 2023-01-01", "start_from: '2023-01-01'",
     "cohort.start_from", "numbers and dates are written without quotes"),
    ("cohort_window_order", "savings", "start_to: 2024-06-30", "start_to: 2022-12-31",
     "cohort.start_to", "a date on or after cohort.start_from (2023-01-01)"),
    ("max_participants_negative", "savings", "max_participants: 100", "max_participants: -1",
     "cohort.max_participants", "a whole number ≥ 0"),
    ("max_participants_fraction", "savings", "max_participants: 100", "max_participants: 10.5",
     "cohort.max_participants", "a whole number ≥ 0"),
    ("years_at_least_one", "savings", "  years: 3", "  years: 0", "follow_up.years",
     "a whole number ≥ 1"),
    ("years_whole", "savings", "  years: 3", "  years: 3.0", "follow_up.years",
     "a whole number"),
    # -- outcome rules -----------------------------------------------------------------------
    ("full_weeks_range", "savings", "full_weeks: 26", "full_weeks: 53", "outcome.full_weeks",
     "a whole number from 0 to 52"),
    ("partial_weeks_range", "savings", "partial_weeks: 13", "partial_weeks: -1",
     "outcome.partial_weeks", "a whole number from 0 to 52"),
    ("full_weeks_required", "savings", "  full_weeks: 26\n", "", "outcome.full_weeks",
     "required"),
    ("group_exists", "savings", "[none, education, leave]", "[none, educaton, leave]",
     "outcome.self_supporting_groups[1]", "benefit groups (of benefit_groups.csv)"),
    ("group_listed_once", "savings", "[none, education, leave]", "[none, education, none]",
     "outcome.self_supporting_groups[2]", "listed once"),
    ("group_not_in_both_lists", "savings", "partial_groups: [fleksjob]",
     "partial_groups: [leave]", "outcome.partial_groups[0]", "not also self-supporting"),
    ("group_list_is_list", "savings", "partial_groups: [fleksjob]", "partial_groups: fleksjob",
     "outcome.partial_groups", "a list of benefit groups"),
    ("hours_positive", "savings", "employment_hours_per_month: 40.08",
     "employment_hours_per_month: 0", "outcome.employment_hours_per_month", "> 0"),
    ("hours_ten_places", "savings", "employment_hours_per_month: 40.08",
     "employment_hours_per_month: 40.08500000001", "outcome.employment_hours_per_month",
     "at most 10 decimal places"),
    # -- valuation ---------------------------------------------------------------------------
    ("price_year_exists", "savings", "price_year: 2024", "price_year: 2023",
     "valuation.price_year", "a price year of benefit_rates.csv (2024)"),
    ("price_year_required", "savings", "  price_year: 2024\n", "", "valuation.price_year",
     "required"),
    ("rate_group_exists", "savings", "{kontanthjaelp: 2844.46}", "{kontant: 2844.46}",
     "valuation.weekly_rates.kontant", "a benefit group of benefit_groups.csv"),
    ("rate_two_decimals", "savings", "{kontanthjaelp: 2844.46}", "{kontanthjaelp: 2844.461}",
     "valuation.weekly_rates.kontanthjaelp", "at most 2 decimals"),
    ("rate_not_negative", "savings", "{kontanthjaelp: 2844.46}", "{kontanthjaelp: -1.00}",
     "valuation.weekly_rates.kontanthjaelp", "≥ 0"),
    ("budget_account_text", "savings", 'payment_account: "5.68.90"', "payment_account: 5.68",
     "budget.payment_account", "a non-empty text"),
    # -- amounts, shares, factors ------------------------------------------------------------
    ("amount_two_decimals", "savings", "outlay: 3200000.00", "outlay: 3200000.001",
     "payment.outlay", "a plain decimal ≥ 0 with at most 2 decimals"),
    ("amount_not_negative", "savings", "cap: 4500000.00", "cap: -0.01", "payment.cap", "≥ 0"),
    ("amount_not_quoted", "savings", "outlay: 3200000.00", "outlay: '3200000.00'",
     "payment.outlay", "numbers and dates are written without quotes"),
    ("amount_plain_notation", "savings", "outlay: 3200000.00", "outlay: 3_200_000.00",
     "payment.outlay", "not plain decimal notation"),
    ("amount_no_exponent", "savings", "outlay: 3200000.00", "outlay: 3.2e+6",
     "payment.outlay", "not plain decimal notation"),
    ("amount_not_infinite", "savings", "cap: 4500000.00", "cap: .inf", "payment.cap",
     "not plain decimal notation"),
    ("amount_storage_limit", "savings", "outlay: 3200000.00", "outlay: 10000000000000000.00",
     "payment.outlay", "an amount in DKK"),
    ("share_above_zero", "savings", "investor_share: 0.5", "investor_share: 0",
     "payment.investor_share", "0 < share ≤ 1"),
    ("share_at_most_one", "savings", "investor_share: 0.5", "investor_share: 1.5",
     "payment.investor_share", "0 < share ≤ 1"),
    ("share_ten_places", "savings", "investor_share: 0.5", "investor_share: 0.12345678901",
     "payment.investor_share", "at most 10 decimal places"),
    ("target_share_range", "cohort", "target_share: 0.5", "target_share: 0",
     "payment.target_share", "0 < share ≤ 1"),
    ("factor_per_year", "savings", "factors: [1.0, 1.0, 1.0]", "factors: [1.0, 1.0]",
     "payment.baseline.factors", "exactly one factor per follow-up year (3)"),
    ("factor_not_negative", "savings", "factors: [1.0, 1.0, 1.0]", "factors: [1.0, -1.0, 1.0]",
     "payment.baseline.factors[1]", "a factor: a plain decimal ≥ 0"),
    ("factor_ten_places", "savings", "factors: [1.0, 1.0, 1.0]",
     "factors: [1.0, 1.0, 0.12345678901]", "payment.baseline.factors[2]",
     "at most 10 decimal places"),
    ("baseline_required", "savings", "  baseline: {factors: [1.0, 1.0, 1.0]}\n", "",
     "payment.baseline", "required"),
    # -- mechanisms --------------------------------------------------------------------------
    ("mechanism_known", "savings", "mechanism: savings_share", "mechanism: savings",
     "payment.mechanism", "one of savings_share, rate_card, cohort_target"),
    ("mechanism_required", "savings", "  mechanism: savings_share\n", "",
     "payment.mechanism", "required"),
    ("below_target_known", "cohort", "below_target: pro_rata", "below_target: linear",
     "payment.below_target", "one of nothing, pro_rata"),
    ("below_target_required", "cohort", "  below_target: pro_rata\n", "",
     "payment.below_target", "required"),
    # -- statuses ----------------------------------------------------------------------------
    ("count_savings_when_year_statuses", "savings", "count_savings_when: [full, partial]",
     "count_savings_when: [full, self_supporting]", "payment.count_savings_when[1]",
     "one of the year statuses: full, partial, none"),
    ("count_savings_when_not_empty", "savings", "count_savings_when: [full, partial]",
     "count_savings_when: []", "payment.count_savings_when", "a non-empty list of year statuses"),
    ("target_statuses_year_statuses", "cohort", "statuses: [full, partial]",
     "statuses: [public_support]", "payment.statuses[0]", "year statuses"),
    ("year_status_statuses", "rate_card", "statuses: [full]", "statuses: [self_supporting]",
     "payment.outcomes[2].statuses[0]", "year statuses"),
    ("streak_week_statuses", "rate_card", "weeks: 13, within_weeks: 78",
     "weeks: 13, within_weeks: 78, statuses: [full]", "payment.outcomes[0].statuses[0]",
     "one of the week statuses: self_supporting, partial, public_support"),
    # -- rate-card outcomes ------------------------------------------------------------------
    ("outcome_id_characters", "rate_card", "{id: job_entry_13w,", "{id: Job Entry,",
     "payment.outcomes[0].id", "characters a–z, 0–9, '_' and '-'"),
    ("outcome_id_unique", "rate_card", "{id: sustained_26w,", "{id: self_supporting_year,",
     "payment.outcomes[2].id", "unique within the contract"),
    ("outcome_kind_known", "rate_card", "kind: streak, weeks: 13", "kind: run, weeks: 13",
     "payment.outcomes[0].kind", "one of streak, year_status"),
    ("outcome_price_required", "rate_card", ", price: 20000.00}", "}",
     "payment.outcomes[0].price", "required"),
    ("outcome_years_required", "rate_card", " years: [1, 2, 3],", "",
     "payment.outcomes[2].years", "required"),
    ("requires_known", "rate_card", "requires: job_entry_13w", "requires: job_entry",
     "payment.outcomes[1].requires", "another outcome of this contract"),
    ("requires_other", "rate_card", "requires: job_entry_13w", "requires: sustained_26w",
     "payment.outcomes[1].requires", "another outcome of this contract"),
    ("requires_no_cycle", "rate_card", "within_weeks: 78, price",
     "within_weeks: 78, requires: sustained_26w, price",
     "payment.outcomes[0].requires", "requirements without a cycle"),
    ("years_in_follow_up", "rate_card", "years: [1, 2, 3]", "years: [1, 2, 4]",
     "payment.outcomes[2].years[2]", "a follow-up year from 1 to follow_up.years (3)"),
    ("years_listed_once", "rate_card", "years: [1, 2, 3]", "years: [1, 2, 2]",
     "payment.outcomes[2].years[2]", "each follow-up year listed once"),
    ("target_year_in_follow_up", "cohort", "  year: 1", "  year: 2", "payment.year",
     "a follow-up year from 1 to follow_up.years (1)"),
    ("within_weeks_in_follow_up", "rate_card", "within_weeks: 104", "within_weeks: 157",
     "payment.outcomes[1].within_weeks", "from 1 to 52 × follow_up.years (156)"),
    ("streak_fits_window", "rate_card", "weeks: 26, within_weeks: 104",
     "weeks: 105, within_weeks: 104", "payment.outcomes[1].weeks", "within_weeks (104)"),
    ("cap_not_negative", "rate_card", "cap_total: 2000000.00", "cap_total: -5.00",
     "payment.cap_total", "≥ 0"),
    # -- valuation basis ---------------------------------------------------------------------
    ("basis_known", "savings", "price_year: 2024", "price_year: 2024\n  basis: net",
     "valuation.basis", "one of gross, municipal_net"),
    # -- the business case (forecast) --------------------------------------------------------
    ("forecast_mapping", "savings", "  cap: 4500000.00\n", "  cap: 4500000.00\nforecast: 100\n",
     "forecast", "a mapping with the fields participants, savings_per_participant_year"),
    ("forecast_unknown_field", "savings_forecast", "  participants: 100\n",
     "  participants: 100\n  cohort_size: 100\n", "forecast.cohort_size",
     "one of the fields allowed here"),
    ("forecast_participants_whole", "savings_forecast", "  participants: 100", "  participants: 99.5",
     "forecast.participants", "a whole number ≥ 0"),
    ("forecast_participants_within_cap", "savings_forecast", "  participants: 100",
     "  participants: 101", "forecast.participants", "at most cohort.max_participants (100)"),
    ("forecast_savings_per_year", "savings_forecast", "[18333.33, 18333.33, 18333.34]",
     "[27500.00, 27500.00]", "forecast.savings_per_participant_year",
     "exactly one amount per follow-up year (3)"),
    ("forecast_savings_two_decimals", "savings_forecast", "[18333.33, 18333.33, 18333.34]",
     "[18333.333, 18333.33, 18333.34]", "forecast.savings_per_participant_year[0]",
     "savings in DKK per participant: a plain decimal with at most 2 decimals"),
    ("forecast_savings_a_list", "savings_forecast", "[18333.33, 18333.33, 18333.34]", "55000.00",
     "forecast.savings_per_participant_year", "a non-empty list of savings, one per follow-up year"),
    ("forecast_savings_group_required", "savings_forecast", "  savings_group: kontanthjaelp\n", "",
     "forecast.savings_group", "required with savings_per_participant_year"),
    ("forecast_savings_group_known", "savings_forecast", "savings_group: kontanthjaelp",
     "savings_group: kontant", "forecast.savings_group",
     "one of the benefit groups (of benefit_groups.csv)"),
    ("forecast_group_needs_savings", "savings_forecast",
     "  savings_per_participant_year: [18333.33, 18333.33, 18333.34]\n", "",
     "forecast.savings_per_participant_year", "required with savings_group"),
    ("forecast_savings_need_participants", "savings_forecast", "  participants: 100\n", "",
     "forecast.participants", "required with savings_per_participant_year"),
    ("forecast_savings_case_complete", "savings", "  cap: 4500000.00\n",
     "  cap: 4500000.00\nforecast: {participants: 100}\n",
     ("forecast.savings_per_participant_year", "forecast.savings_group"),
     "required in a savings_share business case"),
    ("forecast_no_success_share_for_savings", "savings_forecast", "  participants: 100\n",
     "  participants: 100\n  success_share: 0.5\n", "forecast.success_share",
     "a field of a rate_card or cohort_target business case"),
    ("forecast_no_savings_without_baseline", "cohort_forecast", "success_share: 0.5}",
     "success_share: 0.5, savings_per_participant_year: [1000.00], savings_group: kontanthjaelp}",
     ("forecast.savings_per_participant_year", "forecast.savings_group"),
     "only a contract with a baseline has savings"),
    ("forecast_success_share_range", "cohort_forecast", "success_share: 0.5", "success_share: 0",
     "forecast.success_share", "0 < share ≤ 1"),
    ("forecast_success_case_complete", "rate_card_forecast", ", success_share: 0.25", "",
     "forecast.success_share", "required in a rate_card business case"),
    ("forecast_success_share_needs_participants", "cohort_forecast", "participants: 84, ", "",
     "forecast.participants", "required with success_share"),
    ("forecast_lag_whole", "savings_forecast", "verification_lag_months: 3",
     "verification_lag_months: -1", "forecast.verification_lag_months", "a whole number ≥ 0"),
]


@pytest.mark.parametrize(("base", "old", "new", "field", "expected"),
                         [case[1:] for case in CASES], ids=[case[0] for case in CASES])
def test_rule(terms_folder: TermsFolder, base, old, new, field, expected):
    error = terms_folder.error(edit(BASES[base], old, new))
    fields = [field] if isinstance(field, str) else list(field)  # or one problem in several fields
    assert [issue.field for issue in error.issues] == fields, str(error)
    assert all(expected in str(issue) for issue in error.issues), str(error)
    field = fields[0]
    message = str(error)
    assert "terms.yml" in message
    assert f"{field}: expected" in message
    assert expected in message


def test_message_reads_file_field_expected_got(terms_folder: TermsFolder):
    error = terms_folder.error(edit(RATE_CARD, "requires: job_entry_13w", "requires: nope"))
    (issue,) = error.issues
    assert str(issue) == (
        f"{terms_folder.folder / 'terms.yml'}: payment.outcomes[1].requires: expected the id "
        "of another outcome of this contract: one of job_entry_13w, self_supporting_year; "
        "got the text 'nope'"
    )


def test_cycle_is_spelled_out(terms_folder: TermsFolder):
    text = edit(RATE_CARD, "within_weeks: 78, price", "within_weeks: 78, requires: sustained_26w, price")
    (issue,) = terms_folder.error(text).issues
    assert issue.got == "job_entry_13w → sustained_26w → job_entry_13w"


def test_every_problem_of_every_file_is_listed(terms_folder: TermsFolder):
    terms_folder.write(edit(SAVINGS, "investor_share: 0.5", "investor_share: 2"), "a.yml")
    terms_folder.write(edit(edit(COHORT, "amount: 1500000.00", "amount: 1.001"),
                            "  year: 1", "  year: 0"), "b.yml")
    error = terms_folder.error()
    assert [(i.file.rsplit("/", 1)[-1], i.field) for i in error.issues] == [
        ("a.yml", "payment.investor_share"), ("b.yml", "payment.year"),
        ("b.yml", "payment.amount"),
    ]
    assert "3 problems" in str(error)


def test_ids_unique_across_files(terms_folder: TermsFolder):
    terms_folder.write(SAVINGS, "a.yml")
    terms_folder.write(edit(COHORT, "id: cohort-test", "id: savings-test"), "b.yml")
    (issue,) = terms_folder.error().issues
    assert issue.file.endswith("b.yml") and issue.field == "id"
    assert "unique across the terms folder" in issue.expected
    assert "a.yml" in issue.got


def test_group_without_a_rate(tmp_path):
    """A group with neither a reference rate for the price year nor an override stops the run."""
    reference = tmp_path / "reference"
    reference.mkdir()
    (reference / "benefit_groups.csv").write_bytes((REFERENCE_DIR / "benefit_groups.csv").read_bytes())
    rates = (REFERENCE_DIR / "benefit_rates.csv").read_text(encoding="utf-8").splitlines()
    kept = [line for line in rates if not line.startswith(("sygedagpenge,", "fleksjob,"))]
    (reference / "benefit_rates.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")
    folder = TermsFolder(tmp_path / "terms", reference)

    (issue,) = folder.error(COHORT).issues
    assert issue.field == "valuation.weekly_rates"
    assert "a weekly rate for every benefit group" in issue.expected
    assert issue.got == "no rate for sygedagpenge, fleksjob"

    overridden = edit(COHORT, "valuation: {price_year: 2024}",
                      "valuation: {price_year: 2024, weekly_rates: "
                      "{sygedagpenge: 4695.00, fleksjob: 2307.69}}")
    (terms,) = folder.load(overridden)
    assert terms.weekly_rates["fleksjob"] == terms.valuation.weekly_rates["fleksjob"]


@pytest.mark.parametrize(("text", "field", "expected"), [
    ("", "(document)", "a mapping with the fields id, name"),
    ("- just\n- a list\n", "(document)", "a mapping with the fields"),
    ("id: [unclosed\n", "line 2, column 1", "valid YAML"),
    ("id: a\n---\nid: b\n", "line 2, column 1", "valid YAML"),
], ids=["empty_file", "not_a_mapping", "yaml_syntax", "two_documents"])
def test_unreadable_files(terms_folder: TermsFolder, text, field, expected):
    error = terms_folder.error(text)
    assert error.issues[0].field == field
    assert expected in str(error) and "terms.yml" in str(error)


def test_not_utf8(terms_folder: TermsFolder):
    (terms_folder.folder / "terms.yml").write_bytes("name: Br\xf8ndby\n".encode("latin-1"))
    (issue,) = terms_folder.error().issues
    assert (issue.field, issue.expected) == ("(file)", "UTF-8 text")


def test_missing_folder(tmp_path):
    folder = TermsFolder(tmp_path / "terms")
    folder.folder.rmdir()
    (issue,) = folder.error().issues
    assert issue.field == "(folder)"
