"""The server's receipt codes and `pompolit-verify receipt` agree.

The verifier implements the receipt rules independently from docs/ledger.md (a critic's tool
must not lean on the server's code); this test keeps the two from drifting apart.
"""

import secrets

import pytest
from pompolit.transparency import receipt as offline
from pompolit.transparency.errors import DocumentError

from pompolit.ledger import receipts


@pytest.mark.parametrize("run", range(200))
def test_every_server_code_gives_the_same_identifier_offline(run):
    code = receipts.new_code()
    assert offline.receipt_id(receipts.grouped(code)) == receipts.receipt_id(code)
    assert offline.normalise(receipts.grouped(code).lower()) == code


@pytest.mark.parametrize("run", range(50))
def test_a_typo_refused_by_the_server_is_refused_offline_too(run):
    code = receipts.new_code()
    position = secrets.randbelow(len(code))
    wrong = next(s for s in receipts.ALPHABET if s != code[position])
    typo = code[:position] + wrong + code[position + 1:]
    with pytest.raises(receipts.ReceiptCodeError):
        receipts.normalise(typo)
    with pytest.raises(DocumentError):
        offline.normalise(typo)
