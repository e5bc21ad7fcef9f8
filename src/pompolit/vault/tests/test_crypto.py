import pytest

from pompolit.vault import crypto


def test_sealed_text_opens_with_its_key_and_associated_data():
    key = crypto.new_key()
    sealed = crypto.seal(key, "Письмо в Бутырку".encode(), b"aid_letter|body|1")
    assert crypto.open_sealed(key, sealed, b"aid_letter|body|1").decode() == "Письмо в Бутырку"


@pytest.mark.parametrize("position", [0, 23, 24, 30, -1])
def test_any_changed_byte_is_an_integrity_error_not_garbage(position):
    key = crypto.new_key()
    sealed = bytearray(crypto.seal(key, b"secret note", b"ad"))
    sealed[position] ^= 0x01
    with pytest.raises(crypto.VaultIntegrityError):
        crypto.open_sealed(key, bytes(sealed), b"ad")


def test_other_associated_data_or_key_fails():
    key = crypto.new_key()
    sealed = crypto.seal(key, b"secret", b"row 1")
    with pytest.raises(crypto.VaultIntegrityError):
        crypto.open_sealed(key, sealed, b"row 2")
    with pytest.raises(crypto.VaultIntegrityError):
        crypto.open_sealed(crypto.new_key(), sealed, b"row 1")


def test_derived_keys_differ_by_purpose():
    key = crypto.new_key()
    assert crypto.derive(key, b"a") != crypto.derive(key, b"b")
    assert crypto.derive(key, b"a") == crypto.derive(key, b"a")


def test_large_file_streams_and_a_cut_file_fails():
    key = crypto.new_key()
    data = bytes(range(256)) * 1000  # several chunks
    blob = crypto.stream_encrypt(key, data, b"scan.bin")
    assert crypto.stream_decrypt(key, blob, b"scan.bin") == data
    for broken in (blob[:-1], blob[: crypto.STREAM_CHUNK], blob + b"x"):
        with pytest.raises(crypto.VaultIntegrityError):
            crypto.stream_decrypt(key, broken, b"scan.bin")
    with pytest.raises(crypto.VaultIntegrityError):
        crypto.stream_decrypt(key, blob, b"other.bin")
