"""`outcome-ledger verify`: issued statements re-derived in a scratch warehouse from their recorded
inputs. A real two-month ledger (the Dagster job, issuing June then July) is verified as issued,
then copies of it and of its landing folder are altered and each alteration is named precisely."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import dagster as dg
import duckdb
import pytest

from orchestration.audit.compare import stored_hash_differences
from orchestration.audit.verify import verify_statements
from orchestration.cli import main
from orchestration.definitions import defs
from orchestration.ingest.pseudonym import KeyMismatch, PseudonymKey
from orchestration.resources import LedgerFolders, RunMode, Warehouse
from synthetic import SyntheticConfig, generate_extracts

pytestmark = pytest.mark.integration

KEY = "verify-test-key"
TERMS = Path(__file__).parents[2] / "contracts" / "examples"
JUNE, JULY = "2024-06", "2024-07"


@pytest.fixture(scope="module")
def ledger(tmp_path_factory: pytest.TempPathFactory) -> dict:
    """June and July issued by the monthly job; July's lines rest on June's statements."""
    root = tmp_path_factory.mktemp("verify")
    landing = root / "landing"
    manifest = generate_extracts(landing, SyntheticConfig(participants=30, seed=3),
                                 vintages=[date(2024, 6, 30), date(2024, 7, 31)])
    warehouse = root / "warehouse" / "ledger.duckdb"
    with pytest.MonkeyPatch.context() as env:
        env.setenv("OUTCOME_LEDGER_PSEUDONYM_KEY", KEY)
        resources = {"warehouse": Warehouse(path=str(warehouse)),
                     "folders": LedgerFolders(landing=str(landing), contracts=str(TERMS), warehouse=str(warehouse)),
                     "run_mode": RunMode(issue=True)}
        job = defs.resolve_job_def("monthly_run")
        for month in (JUNE, JULY):
            assert job.execute_in_process(partition_key=month, resources=resources,
                                          instance=dg.DagsterInstance.ephemeral()).success
    return {"landing": landing, "warehouse": warehouse, "cprs": manifest.cprs}


@pytest.fixture(autouse=True)
def key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OUTCOME_LEDGER_PSEUDONYM_KEY", KEY)


def _ids(warehouse: Path, month: str) -> list[str]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return [r[0] for r in con.execute("SELECT statement_id FROM payments.statements WHERE month = ? ORDER BY 1",
                                          [month]).fetchall()]


def _copy(ledger: dict, tmp_path: Path) -> Path:
    copy = tmp_path / "warehouse" / "ledger.duckdb"
    copy.parent.mkdir()
    shutil.copyfile(ledger["warehouse"], copy)
    return copy


def _fetch(warehouse: Path, query: str, params: list) -> list[tuple]:
    with duckdb.connect(str(warehouse), read_only=True) as con:
        return con.execute(query, params).fetchall()


def test_every_statement_of_a_month_with_earlier_statements_verifies(ledger, capsys) -> None:
    """July's three statements (one per mechanism), whose lines are changes since June's."""
    ids = _ids(ledger["warehouse"], JULY)
    assert len(ids) == 3
    before = ledger["warehouse"].read_bytes()
    listing = _listing(ledger["warehouse"].parent, ledger["landing"])
    code = main(["verify", *ids, "--landing", str(ledger["landing"]), "--warehouse", str(ledger["warehouse"])])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.endswith("\nverified\n")
    for sid in ids:
        assert f"{sid}: verified\n" in out
        assert "earlier statement(s) of the contract(s) copied from the ledger" in out
    assert "DIFFERENCE" not in out
    assert ledger["warehouse"].read_bytes() == before          # the real warehouse is only read,
    assert _listing(ledger["warehouse"].parent, ledger["landing"]) == listing   # nothing written beside it
    assert not any(cpr in out for cpr in ledger["cprs"])


def _listing(*folders: Path) -> list[tuple[str, int, float]]:
    return sorted((str(p), p.stat().st_size, p.stat().st_mtime) for f in folders for p in f.rglob("*"))


def test_an_altered_landed_file_is_named_with_both_hashes(ledger, tmp_path, capsys) -> None:
    landing = tmp_path / "landing"
    shutil.copytree(ledger["landing"], landing)
    sid = _ids(ledger["warehouse"], JULY)[0]
    (name, recorded), = _fetch(ledger["warehouse"], "SELECT benefits_file, benefits_sha256 FROM payments.statements "
                                                    "WHERE statement_id = ?", [sid])
    altered = landing / "benefits" / name
    altered.write_bytes(altered.read_bytes().replace(b";", b",", 1))

    code = main(["verify", sid, "--landing", str(landing), "--warehouse", str(ledger["warehouse"])])
    captured = capsys.readouterr()
    assert code == 1
    assert f"{sid}: DIFFERENCE landed file benefits/{name}: its SHA-256 is now " in captured.out
    assert f", the statement recorded {recorded}\n" in captured.out
    assert "not re-derived" in captured.out and "\nverified" not in captured.out
    assert captured.err == f"outcome-ledger: not verified: {sid} (1 difference(s), listed above)\n"
    assert not any(cpr in captured.out + captured.err for cpr in ledger["cprs"])


def test_an_altered_terms_copy_is_named(ledger, tmp_path) -> None:
    warehouse = _copy(ledger, tmp_path)
    sid = _ids(warehouse, JULY)[1]
    with duckdb.connect(str(warehouse)) as con:
        name, recorded = con.execute("SELECT file_name, file_sha256 FROM payments.statement_inputs "
                                     "WHERE statement_id = ? AND input_kind = 'terms'", [sid]).fetchall()[0]
        con.execute("UPDATE payments.statement_inputs SET content = content || '# edited' || chr(10) "
                    "WHERE statement_id = ? AND input_kind = 'terms'", [sid])

    result, = verify_statements(warehouse, [sid], ledger["landing"])
    assert not result.verified and not result.rederived
    assert len(result.differences) == 1
    assert result.differences[0].startswith(f"terms copy {name}: its stored text hashes to ")
    assert result.differences[0].endswith(f", the statement recorded terms_sha256 {recorded}")


def test_another_pseudonym_key_is_refused(ledger, monkeypatch) -> None:
    monkeypatch.setenv("OUTCOME_LEDGER_PSEUDONYM_KEY", "another-key")
    with pytest.raises(KeyMismatch, match=f"fingerprint {PseudonymKey(b'another-key').fingerprint}"):
        verify_statements(ledger["warehouse"], _ids(ledger["warehouse"], JULY)[:1], ledger["landing"])


def test_altered_lines_are_named_by_line_and_item(ledger, tmp_path) -> None:
    """A July line altered after issue, and the contract's statements said to be issued under
    another product version: the version is named, and the statement is still re-derived and compared."""
    warehouse = _copy(ledger, tmp_path)
    with duckdb.connect(str(warehouse)) as con:
        sid, line_no, item_key, amount = con.execute(
            "SELECT statement_id, line_no, item_key, amount_dkk FROM payments.statement_lines "
            "WHERE statement_id LIKE ? ORDER BY statement_id, line_no LIMIT 1", [f"%:{JULY}"]).fetchall()[0]
        con.execute("UPDATE payments.statement_lines SET amount_dkk = amount_dkk + 1 WHERE statement_id = ? "
                    "AND line_no = ?", [sid, line_no])
        # The contract's whole ledger issued under an older version (a line's explanation names a
        # version change since the previous statement, so June says the same as July).
        con.execute("UPDATE payments.statements SET product_version = '0.0.1' WHERE contract_id = ?",
                    [sid.split(":")[0]])

    result, = verify_statements(warehouse, [sid], ledger["landing"])
    assert result.rederived and not result.verified
    assert any(n.startswith("issued under product version 0.0.1; this is version ") for n in result.notes)
    recorded = _fetch(warehouse, "SELECT statement_sha256 FROM payments.statements WHERE statement_id = ?", [sid])[0][0]
    assert len(result.differences) == 2, result.differences
    assert result.differences[0].startswith("issued statement: its stored lines and totals hash to ")
    assert result.differences[0].endswith(f", not to its statement_sha256 {recorded}")
    assert result.differences[1] == (f"line {line_no} (item {item_key}): amount_dkk issued {amount + 1}, "
                                     f"re-derived {amount}")


def test_an_earlier_statement_altered_after_issue_no_longer_hashes_to_its_statement_sha256(ledger, tmp_path) -> None:
    """The check each replayed earlier statement gets before a later one is re-derived on it."""
    warehouse = _copy(ledger, tmp_path)
    june = _ids(warehouse, JUNE)
    with duckdb.connect(str(warehouse)) as con:
        assert stored_hash_differences(con, "payments", june) == {}
        con.execute("UPDATE payments.statement_lines SET new_amount_dkk = new_amount_dkk + 1, "
                    "amount_dkk = amount_dkk + 1 WHERE statement_id = ? AND line_no = 1", [june[0]])
        found = stored_hash_differences(con, "payments", june)
    assert list(found) == [june[0]]
    assert found[june[0]].startswith("its stored lines and totals hash to ")
