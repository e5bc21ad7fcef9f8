"""The aid fixtures (`pompolit.aid.testing`), for the tests of every aid feature."""

from pompolit.aid.testing import (  # noqa: F401 (fixtures)
    colony,
    coordinator,
    funds,
    outsider,
    parcel,
    prisoner,
    second_worker,
    treasurer,
    worker,
)
from pompolit.core.testing import english  # noqa: F401 (autouse fixtures)
from pompolit.tlog.testing import log_signing_key  # noqa: F401 (autouse fixtures)
