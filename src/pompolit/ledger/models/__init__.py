"""Every model of the ledger app (label "ledger"), imported here so that Django registers them.

The books themselves — currencies, accounts, funds, entries, postings, donations — are in
books.py; each feature keeps its own models in its package (`campaigns/models.py`, …). Those
import books.py, never this module, so nothing imports back: no import cycle.
"""

from pompolit.ledger.bank_import.models import (
    BankImport,
    BankMapping,
    Direction,
    ImportedLine,
    ImportOutcome,
    ImportRule,
    KeptCounterparty,
    StatementFormat,
)
from pompolit.ledger.campaigns.models import Campaign
from pompolit.ledger.donors.models import DonorExport, DonorIdentity
from pompolit.ledger.expenses.models import (
    Expense,
    ExpenseAttachment,
    ExpenseCategory,
    ExpenseDetails,
    ExpensePayment,
)
from pompolit.ledger.models.books import (
    CHANNEL_PATTERN,
    CODE_PATTERN,
    CURRENCY_PATTERN,
    Account,
    AccountType,
    Channel,
    Currency,
    Donation,
    Entry,
    EntryKind,
    EntryNote,
    Fund,
    FundBalance,
    FundKind,
    Posting,
    code_validator,
    currency_validator,
)
from pompolit.ledger.rates.models import ExchangeRate
from pompolit.ledger.statements.models import Statement

__all__ = [
    "CHANNEL_PATTERN", "CODE_PATTERN", "CURRENCY_PATTERN", "Account", "AccountType",
    "BankImport", "BankMapping", "Campaign", "Channel", "Currency", "Direction", "Donation",
    "DonorExport", "DonorIdentity", "Entry", "EntryKind", "EntryNote", "ExchangeRate", "Expense",
    "ExpenseAttachment", "ExpenseCategory", "ExpenseDetails", "ExpensePayment", "Fund",
    "FundBalance", "FundKind", "ImportOutcome", "ImportRule", "ImportedLine", "KeptCounterparty",
    "Posting", "Statement", "StatementFormat", "code_validator", "currency_validator",
]
