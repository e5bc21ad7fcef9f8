"""pompolit-verify: check Pompolit's published accounts without trusting anyone.

Exit status: 0 verified, 1 a check failed, 2 the input could not be read
(missing file, not JSON, wrong kind of document, malformed verifier key).
"""

import argparse
import errno
import json
import os
import sys
from collections.abc import Callable, Sequence

from . import bundle, opendata, receipt, strictjson
from .errors import DocumentError, VerificationError
from .note import b64
from .report import Report
from .statement.problems import StatementProblems, problems_error
from .statement.read import read_statement
from .statement.verify import verify_statement, verify_statement_file

VERIFIED, FAILED, UNREADABLE = 0, 1, 2


def _shown_name(name: str) -> str:
    return "standard input" if name == "-" else name


def _read_bytes(name: str) -> bytes:
    try:
        if name == "-":
            return sys.stdin.buffer.read()
        with open(name, "rb") as file:
            return file.read()
    except OSError as error:
        raise DocumentError(f"cannot read {name}: {error.strerror or error}") from None


def _read_text(name: str) -> str:
    # Bytes decoded here, not by a text file: "\r\n" stays as it is (so a mangled note is
    # caught, not fixed) and a bad byte is named by its offset.
    return strictjson.decode_utf8(_read_bytes(name), _shown_name(name))


def _read_json(name: str) -> object:
    return strictjson.load_bytes(_read_bytes(name), _shown_name(name))


def _read_proof(name: str) -> list[bytes]:
    """A proof file: a JSON list of base64 hashes, a JSON object with "proof",
    or one base64 hash per line."""
    text = _read_text(name)
    if text.lstrip(" \t\r\n")[:1] in ("[", "{"):
        data = strictjson.loads(text, _shown_name(name), decoded=True)
    else:
        data = [line.strip() for line in text.splitlines() if line.strip()]
    if isinstance(data, dict):
        data = data.get("proof")
    return bundle.decode_proof(data)


def _vkey(args: argparse.Namespace) -> str:
    if args.vkey_file:
        return _read_text(args.vkey_file).strip()
    if not args.vkey:
        raise DocumentError("give the log's verifier key with --vkey or --vkey-file")
    return str(args.vkey)


def _checkpoint(args: argparse.Namespace, report: Report) -> None:
    text = _read_text(args.file)
    checkpoint = bundle.check_checkpoint(text, _vkey(args), report, witnesses=args.witness)
    if args.origin is not None and checkpoint.origin != args.origin:
        raise VerificationError(
            f"the checkpoint is from log {checkpoint.origin!r}, expected {args.origin!r}"
        )
    report.facts.update(
        origin=checkpoint.origin,
        size=checkpoint.size,
        root=b64(checkpoint.root),
        extensions=list(checkpoint.extensions),
        signatures=[{"key": s.key, "verified": s.verified} for s in checkpoint.signatures],
    )


def _inclusion(args: argparse.Namespace, report: Report) -> None:
    bundle.verify_inclusion_document(_read_json(args.file), _vkey(args), report, args.witness)


def _consistency(args: argparse.Namespace, report: Report) -> None:
    files = args.files
    if len(files) == 1:
        bundle.verify_consistency_document(_read_json(files[0]), _vkey(args), report, args.witness)
    elif len(files) == 3:
        old, new, proof = files
        bundle.verify_checkpoints_consistent(
            _read_text(old), _read_text(new), _read_proof(proof), _vkey(args), report, args.witness
        )
    else:
        raise DocumentError("give one consistency document, or OLD_CHECKPOINT NEW_CHECKPOINT PROOF")


def _bundle(args: argparse.Namespace, report: Report) -> None:
    vkey = _vkey(args)
    with _open(args.file) as file:
        try:
            bundle.verify_bundle(file, vkey, report, args.witness, name=_shown_name(args.file))
        except OSError as error:
            raise DocumentError(f"cannot read {args.file}: {error.strerror or error}") from None


def _open(name: str) -> strictjson.Utf8Reader:
    """A file (or standard input) read as strict UTF-8 text."""
    if name == "-":
        return strictjson.Utf8Reader(sys.stdin.buffer, "standard input")
    try:
        if os.path.isdir(name):
            raise IsADirectoryError(errno.EISDIR, "Is a directory")
        return strictjson.Utf8Reader(open(name, "rb"), name)
    except OSError as error:
        raise DocumentError(f"cannot read {name}: {error.strerror or error}") from None


def _statement(args: argparse.Namespace, report: Report) -> None:
    vkey = _vkey(args)
    with _open(args.file) as new:
        if args.previous is None:
            verify_statement_file(new, vkey, report, None, args.witness,
                                  name=_shown_name(args.file))
            return
        with _open(args.previous) as old:
            verify_statement_file(new, vkey, report, old, args.witness,
                                  name=_shown_name(args.file),
                                  previous_name=_shown_name(args.previous))


def _receipt(args: argparse.Namespace, report: Report) -> None:
    vkey = _vkey(args)
    receipt.normalise(args.code)  # a mistyped code is bad input, before any reading
    with _open(args.statement) as file:
        document = read_statement(file, _shown_name(args.statement))
        verified = verify_statement(document, vkey, report, args.witness)
    # What could make the donation found (or not found) a lie; figures are only noted.
    broken = [p for p in verified.problems
              if p.what in {"signature", "leaf", "order", "json", "reversal", "chart"}]
    if broken:
        raise problems_error(broken)
    for problem in verified.problems:
        report.note(f"the statement has a problem unrelated to your receipt: {problem.message}")
    receipt.find_receipt(args.code, verified, report)


def _open_data(args: argparse.Namespace, report: Report) -> None:
    # A directory, or its manifest: the other files are read from beside the manifest, by the
    # plain names the manifest gives (opendata.read_manifest refuses any other kind of name).
    if os.path.isdir(args.path):
        where, manifest = args.path, os.path.join(args.path, opendata.MANIFEST)
    else:
        where, manifest = os.path.dirname(args.path) or ".", args.path
    paths = {opendata.MANIFEST: manifest,
             opendata.SIGNATURE: args.signature or manifest + ".sig"}

    def read(name: str) -> bytes:
        return _read_bytes(paths.get(name) or os.path.join(where, name))

    opendata.verify_export(read, _vkey(args), report, origin=args.origin,
                           witnesses=args.witness)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pompolit-verify",
        description="Check Pompolit's published accounts: checkpoints, proofs and bundles.",
        epilog="Exit status: 0 verified, 1 a check failed, 2 the input could not be read.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    common = _common_options()
    _add_log_commands(commands, common)
    _add_statement_commands(commands, common)
    _add_open_data_command(commands, common)
    return parser


type Commands = argparse._SubParsersAction[argparse.ArgumentParser]


def _common_options() -> argparse.ArgumentParser:
    """The options every command takes: the keys to trust, and --json."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--vkey", help="the log's verifier key: name+keyid+base64key")
    common.add_argument("--vkey-file", help="read the verifier key from this file")
    common.add_argument(
        "--witness",
        action="append",
        default=[],
        metavar="VKEY",
        help="also require a valid signature by this witness key (repeatable)",
    )
    common.add_argument("--json", action="store_true", help="print a JSON report")
    return common


def _add_log_commands(commands: Commands, common: argparse.ArgumentParser) -> None:
    """checkpoint, inclusion, consistency and bundle: the log itself, of any kind of entry."""
    checkpoint = commands.add_parser(
        "checkpoint", parents=[common], help="check the signature on a checkpoint"
    )
    checkpoint.add_argument("file", help="signed checkpoint file ('-' for standard input)")
    checkpoint.add_argument("--origin", help="also require this log origin")
    checkpoint.set_defaults(run=_checkpoint)

    inclusion = commands.add_parser(
        "inclusion", parents=[common], help="check that an entry is in the log"
    )
    inclusion.add_argument("file", help="inclusion proof document (JSON)")
    inclusion.set_defaults(run=_inclusion)

    consistency = commands.add_parser(
        "consistency", parents=[common], help="check that a newer checkpoint only appended"
    )
    consistency.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="a consistency document, or OLD_CHECKPOINT NEW_CHECKPOINT PROOF_FILE",
    )
    consistency.set_defaults(run=_consistency)

    whole = commands.add_parser(
        "bundle", parents=[common], help="check every leaf of a published bundle"
    )
    whole.add_argument("file", help="bundle file (JSON)")
    whole.set_defaults(run=_bundle)


def _add_statement_commands(commands: Commands, common: argparse.ArgumentParser) -> None:
    """statement and receipt: the published accounts."""
    books = commands.add_parser(
        "statement", parents=[common],
        help="recompute every total of a published statement and check its signatures",
    )
    books.add_argument("file", help="statement file (JSON, pompolit-statement/1)")
    books.add_argument("--previous", metavar="OLD",
                       help="the previous statement: check that history was only appended")
    books.set_defaults(run=_statement)

    gift = commands.add_parser(
        "receipt", parents=[common], help="find your donation in a statement, by receipt code"
    )
    gift.add_argument("code", help="the private receipt code, as printed (hyphens optional)")
    gift.add_argument("--statement", required=True, metavar="BUNDLE",
                      help="a statement file downloaded from the group's site")
    gift.set_defaults(run=_receipt)


def _add_open_data_command(commands: Commands, common: argparse.ArgumentParser) -> None:
    data = commands.add_parser(
        "open-data", parents=[common],
        help="check a downloaded open data export: its signature and every file's hash",
    )
    data.add_argument("path", metavar="DIR_OR_MANIFEST",
                      help=f"the export's directory, or its {opendata.MANIFEST}")
    data.add_argument("--signature", metavar="FILE",
                      help="the signature file, if not the manifest's name with .sig added")
    data.add_argument("--origin", help="also require this origin (the group's log origin)")
    data.set_defaults(run=_open_data)


def _print_text(report: Report, error: VerificationError | None) -> None:
    for sentence in report.checks:
        print(f"  OK      {sentence}")
    for sentence in report.notes:
        print(f"  NOTE    {sentence}")
    if error is None:
        print("VERIFIED: every check above passed.")
    elif isinstance(error, DocumentError):
        print(f"  ERROR   {error.reason}")
        print("NOT CHECKED: the input could not be read.")
    else:
        print(f"  FAILED  {error.reason}")
        print("NOT VERIFIED: the check above failed.")


def main(argv: Sequence[str] | None = None) -> int:
    # Whatever the terminal's encoding, what is printed cannot fail (a hostile input may put
    # any character in a message).
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(errors="backslashreplace")
    args = _parser().parse_args(argv)
    run: Callable[[argparse.Namespace, Report], None] = args.run
    report = Report()
    error: VerificationError | None = None
    try:
        run(args, report)
    except VerificationError as caught:
        error = caught
    except RecursionError:
        error = DocumentError("the input is nested too deeply to be read")
    except MemoryError:
        error = DocumentError("the input is too large to be read in the memory available")
    except Exception as caught:
        error = DocumentError(f"the input could not be read (unexpected {type(caught).__name__}"
                              f": {str(caught)[:200]})")
    status = (
        VERIFIED if error is None
        else UNREADABLE if isinstance(error, DocumentError) else FAILED
    )
    if args.json:
        if isinstance(error, StatementProblems):
            report.facts.setdefault("problems", [p.as_json() for p in error.problems])
        result = {
            "command": args.command,
            "verified": error is None,
            "checks": report.checks,
            "notes": report.notes,
            "facts": report.facts,
            "error": None if error is None else error.reason,
            "exit_status": status,
        }
        print(json.dumps(result, indent=2, ensure_ascii=False))
    else:
        _print_text(report, error)
    return status


if __name__ == "__main__":
    sys.exit(main())
