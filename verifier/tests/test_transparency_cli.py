"""pompolit-verify as a critic runs it: exit codes, plain words, --json."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from pompolit.transparency.cli import main
from transparency_fixtures import (
    ENTRIES,
    OLD,
    VKEY,
    bundle_text,
    checkpoint,
    consistency_json,
    inclusion_json,
    log,
    write,
)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    return status, capsys.readouterr().out


def test_checkpoint_ok(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "cp", checkpoint(1000))
    status, out = run(capsys, "checkpoint", path, "--vkey", VKEY)
    assert status == 0
    assert "valid signature by pompolit.example/log+" in out
    assert "VERIFIED" in out


def test_checkpoint_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "cp", checkpoint(1000))
    status, out = run(capsys, "checkpoint", path, "--vkey", VKEY, "--json")
    result = json.loads(out)
    assert status == 0
    assert result["verified"] is True
    assert result["facts"]["size"] == 1000
    assert result["facts"]["signatures"][0]["verified"] is True


def test_checkpoint_tampered(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "cp", checkpoint(1000).replace("\n1000\n", "\n1001\n"))
    status, out = run(capsys, "checkpoint", path, "--vkey", VKEY)
    assert status == 1
    assert "FAILED  checkpoint: the signature by pompolit.example/log+" in out
    assert "NOT VERIFIED" in out
    status, out = run(capsys, "checkpoint", path, "--vkey", VKEY, "--json")
    result = json.loads(out)
    assert (status, result["verified"], result["exit_status"]) == (1, False, 1)
    assert "is invalid" in result["error"]


def test_checkpoint_with_crlf_is_not_repaired(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "cp"
    path.write_bytes(checkpoint(5).replace("\n", "\r\n").encode())
    assert run(capsys, "checkpoint", str(path), "--vkey", VKEY)[0] == 1


def test_checkpoint_origin_and_witness(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "cp", checkpoint(5))
    assert (
        run(capsys, "checkpoint", path, "--vkey", VKEY, "--origin", "pompolit.example/log")[0] == 0
    )
    status, out = run(capsys, "checkpoint", path, "--vkey", VKEY, "--origin", "x")
    assert status == 1 and "expected 'x'" in out
    status, out = run(
        capsys, "checkpoint", path, "--vkey", VKEY, "--witness", VKEY.replace("log+", "w+", 1)
    )
    assert status == 2  # the witness key text itself is malformed (key ID no longer matches)


def test_vkey_from_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "cp", checkpoint(5))
    key = write(tmp_path / "log.vkey", VKEY + "\n")
    assert run(capsys, "checkpoint", path, "--vkey-file", key)[0] == 0


@pytest.mark.parametrize(
    "argv",
    [
        ["checkpoint", "/nonexistent/cp", "--vkey", VKEY],
        ["checkpoint", "{cp}", "--vkey", "not-a-key"],
        ["checkpoint", "{cp}"],
        ["inclusion", "{cp}", "--vkey", VKEY],
        ["consistency", "{cp}", "{cp}", "--vkey", VKEY],
        ["bundle", "/nonexistent/bundle", "--vkey", VKEY],
    ],
)
def test_unreadable_input_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    path = write(tmp_path / "cp", checkpoint(5))
    status, out = run(capsys, *(a.replace("{cp}", path) for a in argv))
    assert status == 2
    assert "NOT CHECKED" in out


def test_usage_error_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main(["frobnicate"])
    assert exit_info.value.code == 2


def test_inclusion(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "proof.json", inclusion_json(321))
    status, out = run(capsys, "inclusion", path, "--vkey", VKEY)
    assert status == 0
    assert "leaf 321 is in the tree of 1000 leaves" in out
    document = inclusion_json(321)
    proof = document["proof"]
    assert isinstance(proof, list)
    proof[4] = "Zm9v"
    status, out = run(capsys, "inclusion", write(tmp_path / "bad.json", document), "--vkey", VKEY)
    assert status == 1
    assert "proof element 5 is 3 bytes, not 32" in out


def test_consistency_one_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "c.json", consistency_json())
    status, out = run(capsys, "consistency", path, "--vkey", VKEY)
    assert status == 0
    assert f"contains the tree of {OLD} leaves unchanged" in out


@pytest.mark.parametrize("proof_format", ["lines", "json-list", "json-object"])
def test_consistency_three_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], proof_format: str
) -> None:
    document = consistency_json()
    proof = document["proof"]
    assert isinstance(proof, list)
    content = {
        "lines": "\n".join(proof) + "\n",
        "json-list": json.dumps(proof),
        "json-object": json.dumps({"proof": proof}),
    }[proof_format]
    old = write(tmp_path / "old", str(document["old_checkpoint"]))
    new = write(tmp_path / "new", str(document["new_checkpoint"]))
    proof_path = write(tmp_path / "proof", content)
    assert run(capsys, "consistency", old, new, proof_path, "--vkey", VKEY)[0] == 0
    status, out = run(capsys, "consistency", new, old, proof_path, "--vkey", VKEY, "--json")
    assert status == 1
    assert "only grow" in json.loads(out)["error"]


def test_bundle(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path / "bundle.json", bundle_text())
    status, out = run(capsys, "bundle", path, "--vkey", VKEY)
    assert status == 0
    assert "the 1000 leaves of the bundle hash to the root the checkpoint signs" in out
    document = json.loads(bundle_text())
    document["leaves"][800] = document["leaves"][0]
    status, out = run(capsys, "bundle", write(tmp_path / "bad.json", document), "--vkey", VKEY)
    assert status == 1
    assert "difference lies in leaves 600 to 999" in out
    status, out = run(capsys, "bundle", path, "--vkey", VKEY, "--json")
    assert json.loads(out)["facts"]["size"] == len(ENTRIES)


def test_console_script_runs_without_django(tmp_path: Path) -> None:
    path = write(tmp_path / "cp", checkpoint(3))
    code = (
        "import sys; from pompolit.transparency.cli import main; status = main(sys.argv[1:]);"
        "assert 'django' not in sys.modules, 'imported Django'; sys.exit(status)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "checkpoint", path, "--vkey", VKEY],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "VERIFIED" in result.stdout
    assert log(3).size == 3
