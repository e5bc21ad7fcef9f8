"""pompolit-verify open-data: the manifest's signature, every file's size and hash, and any
single changed byte anywhere is caught, naming the file."""

import json
import shutil
from pathlib import Path

import pytest
import rfc8785
from hypothesis import given, settings
from hypothesis import strategies as st
from pompolit.transparency import opendata
from pompolit.transparency.cli import main
from pompolit.transparency.note import public_key, signature_line, vkey
from transparency_fixtures import SEED, VKEY

ORIGIN = "pompolit.example"
KEY_NAME = "pompolit.example/log"
FILES = {
    "prisoners.json": rfc8785.dumps({"format": opendata.FORMAT, "prisoners": [
        {"public_id": "k3vx9q2mhtwa", "name": "Горинов Алексей", "region": "Омская область"}]}),
    "prisoners.csv": "public_id,name\r\nk3vx9q2mhtwa,Горинов Алексей\r\n".encode(),
    "counts.json": rfc8785.dumps({"format": opendata.FORMAT, "prisoners": {"listed": 1}}),
    "counts.csv": b"count_of,by,value,city,date,count\r\nprisoners,all,,,,1\r\n",
}


def export(directory: Path, files: dict[str, bytes] = FILES, *, seed: bytes = SEED,
           origin: str = ORIGIN) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (directory / name).write_bytes(data)
    manifest = rfc8785.dumps({
        "format": opendata.FORMAT, "origin": origin, "exported_on": "2026-12-06",
        "files": [opendata.file_entry(name, files[name]) for name in sorted(files)],
    })
    (directory / opendata.MANIFEST).write_bytes(manifest)
    signed = opendata.sign(origin, manifest, KEY_NAME, seed)
    (directory / opendata.SIGNATURE).write_text(signed, encoding="utf-8")
    return directory


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = main(list(argv))
    return status, capsys.readouterr().out


def test_a_good_export_verifies(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    where = export(tmp_path / "v1")
    status, out = run(capsys, "open-data", str(where), "--vkey", VKEY)
    assert status == 0, out
    assert "manifest.json.sig: valid signature by pompolit.example/log+" in out
    assert "prisoners.csv: " in out and "VERIFIED" in out


def test_the_manifest_path_works_too_and_json_lists_the_files(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    where = export(tmp_path / "v1")
    status, out = run(capsys, "open-data", str(where / "manifest.json"), "--vkey", VKEY,
                      "--json", "--origin", ORIGIN)
    result = json.loads(out)
    assert (status, result["verified"]) == (0, True)
    assert [f["name"] for f in result["facts"]["files"]] == sorted(FILES)
    assert result["facts"]["origin"] == ORIGIN


def test_a_changed_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    where = export(tmp_path / "v1")
    (where / "prisoners.csv").write_bytes(FILES["prisoners.csv"].replace("Горинов".encode(),
                                                                         "Горинав".encode()))
    status, out = run(capsys, "open-data", str(where), "--vkey", VKEY)
    assert status == 1
    assert "FAILED  prisoners.csv does not match the manifest: its SHA-256 is" in out


def test_a_shortened_file_is_named_with_its_size(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    where = export(tmp_path / "v1")
    (where / "counts.json").write_bytes(FILES["counts.json"][:-1])
    status, out = run(capsys, "open-data", str(where), "--vkey", VKEY)
    assert status == 1 and "counts.json does not match the manifest: it is" in out


def test_a_missing_file_cannot_be_checked(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    where = export(tmp_path / "v1")
    (where / "counts.csv").unlink()
    status, out = run(capsys, "open-data", str(where), "--vkey", VKEY)
    assert status == 2 and "counts.csv" in out


def test_another_key_or_origin_is_refused(tmp_path: Path,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    other = bytes(range(1, 33))
    where = export(tmp_path / "v1", seed=other)
    status, out = run(capsys, "open-data", str(where), "--vkey", VKEY)
    assert status == 1 and "has no signature by pompolit.example/log+" in out
    good = export(tmp_path / "v2")
    status, out = run(capsys, "open-data", str(good), "--vkey", VKEY, "--origin", "elsewhere")
    assert status == 1 and "expected 'elsewhere'" in out


def test_an_altered_signed_text_is_an_invalid_signature(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    where = export(tmp_path / "v1")
    signed = (where / "manifest.json.sig").read_text()
    (where / "manifest.json.sig").write_text(signed.replace("origin pompolit.example",
                                                            "origin pompolit.evil"))
    status, out = run(capsys, "open-data", str(where), "--vkey", VKEY)
    assert status == 1 and "manifest.json.sig: the signature by pompolit.example/log+" in out
    assert "is invalid" in out


def test_a_mirror_may_cosign_and_a_witness_may_be_required(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    where = export(tmp_path / "v1")
    mirror_seed = bytes(range(2, 34))
    mirror = vkey("mirror.example", public_key(mirror_seed))
    status, out = run(capsys, "open-data", str(where), "--vkey", VKEY, "--witness", mirror)
    assert status == 1 and "has no signature by mirror.example+" in out
    signed = (where / "manifest.json.sig").read_text()
    text = signed[: signed.index("\n\n") + 1]
    (where / "manifest.json.sig").write_text(
        signed + signature_line(text, "mirror.example", mirror_seed))
    assert run(capsys, "open-data", str(where), "--vkey", VKEY)[0] == 0  # ignored: unknown key
    status, out = run(capsys, "open-data", str(where), "--vkey", VKEY, "--witness", mirror)
    assert status == 0 and "valid signature by mirror.example+" in out


def test_a_key_of_another_name_is_not_a_signature(tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    where = export(tmp_path / "v1")
    other = vkey("mirror.example", public_key(bytes(range(1, 33))))
    status, out = run(capsys, "open-data", str(where), "--vkey", other)
    assert status == 1 and "has no signature by mirror.example+" in out


def test_a_manifest_naming_a_path_outside_is_refused(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "secret.txt").write_bytes(b"x")
    where = tmp_path / "v1"
    where.mkdir()
    manifest = rfc8785.dumps({
        "format": opendata.FORMAT, "origin": ORIGIN, "exported_on": "2026-12-06",
        "files": [{"name": "../secret.txt", "size": 1,
                   "sha256": opendata.sha256_hex(b"x")}],
    })
    (where / "manifest.json").write_bytes(manifest)
    (where / "manifest.json.sig").write_text(opendata.sign(ORIGIN, manifest, KEY_NAME, SEED))
    status, out = run(capsys, "open-data", str(where), "--vkey", VKEY)
    assert status == 2 and "is not a plain file name" in out


def test_a_checkpoint_is_not_an_open_data_signature(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from transparency_fixtures import checkpoint

    where = export(tmp_path / "v1")
    (where / "manifest.json.sig").write_text(checkpoint(5))
    status, out = run(capsys, "open-data", str(where), "--vkey", VKEY)
    assert status == 2 and "is not a pompolit-open-data/1 signature" in out


def test_the_signed_text_cannot_be_read_as_a_checkpoint() -> None:
    from pompolit.transparency.checkpoint import parse_body
    from pompolit.transparency.errors import VerificationError

    with pytest.raises(VerificationError):
        parse_body(opendata.note_text(ORIGIN, b"{}"))


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return export(tmp_path_factory.mktemp("pristine"))


@settings(max_examples=150, deadline=None)
@given(which=st.sampled_from([*sorted(FILES), opendata.MANIFEST, opendata.SIGNATURE]),
       position=st.floats(min_value=0, max_value=1, exclude_max=True),
       change=st.integers(min_value=1, max_value=255))
def test_any_changed_byte_is_caught(pristine: Path, tmp_path_factory: pytest.TempPathFactory,
                                    which: str, position: float, change: int) -> None:
    where = tmp_path_factory.mktemp("tampered")
    shutil.copytree(pristine, where, dirs_exist_ok=True)
    data = bytearray((where / which).read_bytes())
    index = int(position * len(data))
    data[index] = (data[index] + change) % 256  # never the same byte
    (where / which).write_bytes(bytes(data))
    status = main(["open-data", str(where), "--vkey", VKEY, "--json"])
    assert status != 0
    assert main(["open-data", str(pristine), "--vkey", VKEY, "--json"]) == 0


def test_a_changed_data_file_is_named_whatever_byte_changed(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for name, data in FILES.items():
        for index in (0, len(data) // 2, len(data) - 1):
            where = export(tmp_path / f"{name}-{index}")
            changed = bytearray(data)
            changed[index] ^= 0x01
            (where / name).write_bytes(bytes(changed))
            status, out = run(capsys, "open-data", str(where), "--vkey", VKEY, "--json")
            assert status == 1, (name, index)
            assert json.loads(out)["error"].startswith(f"{name} does not match the manifest")
