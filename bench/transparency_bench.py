"""Transparency log benchmark: our Merkle log against pymerkle and raw hashlib.

    .venv/bin/python bench/transparency_bench.py [--n 1000000] [--no-write]

Every measurement runs in a fresh subprocess (so peak memory and "cold" mean
what they say) on the same data: n random 64-byte entries from a fixed seed.
Results go to docs/benchmarks.md under "## Transparency log"; scratch files go
to a temporary directory. pymerkle is needed only here: `pip install pymerkle`.
"""

import argparse
import datetime
import json
import os
import platform
import random
import re
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from hashlib import sha256
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "benchmarks.md"
SEED = 20240601
KEY_SEED = bytes(range(32))
ORIGIN = "bench.pompolit.example/log"


def entries(n: int) -> list[bytes]:
    rng = random.Random(SEED)
    return [rng.randbytes(64) for _ in range(n)]


def rss_now() -> int:
    """Current resident set size in bytes."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


# ---------------------------------------------------------------------------
# A stdlib-sqlite3 TileBackend: a prototype of the tiled design, so the
# benchmark can show appends and cold reads against a database today.
# HOOK: the Django-model-backed store (item 2 of the issue) replaces this in
# DB_STORES below once it exists; keep the same three methods.
# ---------------------------------------------------------------------------
class SqliteTileBackend:
    def __init__(self, path: str) -> None:
        self.db = sqlite3.connect(path, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute(
            "CREATE TABLE IF NOT EXISTS tile (level INTEGER, tile INTEGER, data BLOB NOT NULL,"
            " PRIMARY KEY (level, tile)) WITHOUT ROWID"
        )
        self.db.execute("CREATE TABLE IF NOT EXISTS size (id INTEGER PRIMARY KEY, size INTEGER)")

    def load_size(self) -> int:
        row = self.db.execute("SELECT size FROM size WHERE id = 1").fetchone()
        return int(row[0]) if row else 0

    def load_tiles(self, keys: Sequence[tuple[int, int]]) -> dict[tuple[int, int], bytes]:
        if not keys:
            return {}
        values = ",".join("(?, ?)" for _ in keys)
        flat = [part for key in keys for part in key]
        rows = self.db.execute(
            f"SELECT level, tile, data FROM tile WHERE (level, tile) IN (VALUES {values})",  # noqa: S608
            flat,
        )
        return {(level, tile): data for level, tile, data in rows}

    def save(self, new_size: int, tiles: Mapping[tuple[int, int], bytes]) -> None:
        with self.db:
            self.db.execute("BEGIN")
            self.db.executemany(
                "INSERT OR REPLACE INTO tile (level, tile, data) VALUES (?, ?, ?)",
                [(level, tile, data) for (level, tile), data in tiles.items()],
            )
            self.db.execute("INSERT OR REPLACE INTO size (id, size) VALUES (1, ?)", (new_size,))


def open_sqlite_tiles(path: str):  # type: ignore[no-untyped-def]
    from pompolit.transparency import MerkleLog, TiledStore

    return MerkleLog(TiledStore(SqliteTileBackend(path)))


class DjangoLog:
    """The service's own store (pompolit.tlog): Django models on SQLite or PostgreSQL.

    `path` is a SQLite file, or "postgres" for a scratch database on this machine's server.
    Appends go through pompolit.tlog.services.append, so they also store every entry's
    data (as pymerkle's SqliteTree does).
    """

    PG_URL = "postgres://postgres@127.0.0.1:5432/pompolit_bench"

    def __init__(self, path: str) -> None:
        from pompolit.tlog import services
        from pompolit.tlog.models import Log

        self.services = services
        try:
            self.tree = services.merkle(services.find_log("bench"))
        except Log.DoesNotExist:
            self.tree = None

    @classmethod
    def prepare(cls, path: str, *, create: bool) -> None:
        """Everything before the clock starts: Django itself, and a fresh schema to fill."""
        url = cls.PG_URL if path == "postgres" else f"sqlite:///{path}"
        os.environ.update(
            DJANGO_SETTINGS_MODULE="pompolit.settings.dev",
            POMPOLIT_DATABASE_URL=url,
            POMPOLIT_VAR_DIR=str(Path(tempfile.gettempdir()) / "pompolit-bench-var"),
        )
        if create and path == "postgres":
            import psycopg

            with psycopg.connect(cls.PG_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as db:
                db.execute("DROP DATABASE IF EXISTS pompolit_bench")
                db.execute("CREATE DATABASE pompolit_bench")
        import django

        django.setup()
        if create:
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
        from django.db import connection, connections

        # Modules are loaded before the clock, as for pymerkle; the connection is not opened.
        _ = connection.ops, connection.features, connection.Database
        import pompolit.tlog.services  # noqa: F401

        connections.close_all()  # "cold": the clock includes opening the connection

    def extend(self, data: Sequence[bytes]) -> None:
        self.services.append("bench", data)

    def __getattr__(self, name: str) -> object:
        return getattr(self.tree, name)


def have_postgres() -> bool:
    try:
        import psycopg

        psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=2).close()
    except Exception:
        return False
    return True


DB_STORES: dict[str, Callable[[str], object]] = {
    "ours, tiles in sqlite3 (prototype)": open_sqlite_tiles,
    "ours, Django store on SQLite": DjangoLog,
    "ours, Django store on PostgreSQL": DjangoLog,
}


# ------------------------------- children ---------------------------------
def child_hashlib(n: int) -> dict[str, float]:
    data = entries(n)
    leaf_inputs = [b"\x00" + d for d in data]
    node_input = b"\x01" + bytes(64)
    node_inputs = [node_input] * (n - 1)
    s = sha256
    start = time.perf_counter()
    for x in leaf_inputs:
        s(x).digest()
    for x in node_inputs:
        s(x).digest()
    return {"seconds": time.perf_counter() - start}


def child_ours_extend(n: int) -> dict[str, object]:
    from pompolit.transparency import MerkleLog

    data = entries(n)
    before = rss_now()
    start = time.perf_counter()
    log = MerkleLog()
    log.extend(data)
    root = log.root()
    seconds = time.perf_counter() - start
    return {"seconds": seconds, "memory": peak_rss() - before, "root": root.hex()}


def child_ours_append(n: int) -> dict[str, object]:
    from pompolit.transparency import MerkleLog

    data = entries(n)
    before = rss_now()
    start = time.perf_counter()
    log = MerkleLog()
    append = log.append
    for d in data:
        append(d)
    root = log.root()
    return {
        "seconds": time.perf_counter() - start,
        "memory": peak_rss() - before,
        "root": root.hex(),
    }


def child_pymerkle_memory(n: int) -> dict[str, object]:
    from pymerkle import InmemoryTree

    data = entries(n)
    before = rss_now()
    start = time.perf_counter()
    tree = InmemoryTree()
    tree.append_entries(data)
    root = tree.get_root()
    return {
        "seconds": time.perf_counter() - start,
        "memory": peak_rss() - before,
        "root": root.hex(),
    }


def child_pymerkle_sqlite(n: int, path: str) -> dict[str, object]:
    from pymerkle import SqliteTree

    data = entries(n)
    start = time.perf_counter()
    with SqliteTree(path) as tree:
        tree.append_entries(data)
    return {"seconds": time.perf_counter() - start}


def child_db_append(n: int, path: str, store: str) -> dict[str, object]:
    data = entries(n)
    opener = DB_STORES[store]
    if hasattr(opener, "prepare"):
        opener.prepare(path, create=True)
    start = time.perf_counter()
    log = DB_STORES[store](path)
    log.extend(data)  # type: ignore[attr-defined]
    return {"seconds": time.perf_counter() - start}


def child_cold(n: int, path: str, store: str, operation: str) -> dict[str, object]:
    # Modules are imported before the clock starts: "cold" is about the data.
    index, old = n // 3, n // 2 + 1
    if store == "pymerkle":
        from pymerkle import SqliteTree

        start = time.perf_counter()
        tree = SqliteTree(path)
        if operation == "root":
            tree.get_root(n)
        elif operation == "inclusion":
            tree.prove_inclusion(index + 1, n)
        else:
            tree.prove_consistency(old, n)
        return {"seconds": time.perf_counter() - start}
    import pompolit.transparency  # noqa: F401

    opener = DB_STORES[store]
    if hasattr(opener, "prepare"):
        opener.prepare(path, create=False)
    start = time.perf_counter()
    log = opener(path)
    if operation == "root":
        log.root(n)  # type: ignore[attr-defined]
    elif operation == "inclusion":
        log.inclusion_proof(index, n)  # type: ignore[attr-defined]
    else:
        log.consistency_proof(old, n)  # type: ignore[attr-defined]
    return {"seconds": time.perf_counter() - start}


def child_write_bundle(n: int, path: str) -> dict[str, object]:
    from pompolit.transparency import MerkleLog, sign, vkey
    from pompolit.transparency.bundle import write_bundle
    from pompolit.transparency.note import public_key

    data = entries(n)
    log = MerkleLog()
    log.extend(data)
    old = n // 2 + 1
    with open(path, "w", encoding="utf-8") as out:
        write_bundle(
            out,
            origin=ORIGIN,
            leaves=data,
            checkpoint=sign(ORIGIN, n, log.root(), ORIGIN, KEY_SEED),
            previous_checkpoint=sign(ORIGIN, old, log.root(old), ORIGIN, KEY_SEED),
            consistency_proof=log.consistency_proof(old),
        )
    return {"vkey": vkey(ORIGIN, public_key(KEY_SEED)), "bytes": os.path.getsize(path)}


def child_verify_bundle(path: str, vkey: str) -> dict[str, object]:
    import contextlib
    import io

    from pompolit.transparency.cli import main

    before = rss_now()
    start = time.perf_counter()
    with contextlib.redirect_stdout(io.StringIO()) as out:
        status = main(["bundle", path, "--vkey", vkey])
    return {
        "seconds": time.perf_counter() - start,
        "memory": peak_rss() - before,
        "peak_rss": peak_rss(),
        "status": status,
        "output": out.getvalue(),
    }


CHILDREN: dict[str, Callable[..., dict[str, object]]] = {
    "hashlib": child_hashlib,
    "ours-extend": child_ours_extend,
    "ours-append": child_ours_append,
    "pymerkle-memory": child_pymerkle_memory,
    "pymerkle-sqlite": child_pymerkle_sqlite,
    "db-append": child_db_append,
    "cold": child_cold,
    "write-bundle": child_write_bundle,
    "verify-bundle": child_verify_bundle,
}


# -------------------------------- parent ----------------------------------
def run(name: str, *args: object) -> dict[str, object]:
    command = [sys.executable, __file__, "--child", name, *map(str, args)]
    started = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr}")
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall"] = time.perf_counter() - started
    print(f"  {name} {' '.join(map(str, args[1:]))}: {result.get('seconds', 0):.3f} s", flush=True)
    return result


def have_pymerkle() -> bool:
    done = subprocess.run(
        [sys.executable, "-c", "import pymerkle"], capture_output=True, check=False
    )
    return done.returncode == 0


def machine() -> str:
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=False).stdout
        model = re.search(r"Model name:\s*(.+)", lscpu)
        cpu = model.group(1).strip() if model else platform.processor()
    except OSError:
        cpu = platform.processor()
    with open("/proc/meminfo") as meminfo:
        ram = int(meminfo.readline().split()[1]) / 1024 / 1024
    system = f"{platform.system()} {platform.release()}"
    return f"{cpu}, {os.cpu_count()} cores, {ram:.0f} GiB RAM, {system}"


def mb(value: object) -> str:
    return f"{float(value) / 2**20:,.0f} MB"  # type: ignore[arg-type]


def seconds(value: object) -> str:
    v = float(value)  # type: ignore[arg-type]
    return f"{v * 1000:.1f} ms" if v < 1 else f"{v:.2f} s"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--no-write", action="store_true", help="do not update docs/benchmarks.md")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        name, *rest = args.child
        function = CHILDREN[name]
        converted = [int(x) if x.isdigit() else x for x in rest]
        print(json.dumps(function(*converted)))
        return

    n = args.n
    pymerkle = have_pymerkle()
    print(f"transparency benchmark, n = {n:,}", flush=True)
    with tempfile.TemporaryDirectory(prefix="pompolit-bench-") as scratch:
        r: dict[str, dict[str, object]] = {}
        r["hashlib"] = run("hashlib", n)
        r["ours-extend"] = run("ours-extend", n)
        r["ours-append"] = run("ours-append", n)
        if pymerkle:
            r["pymerkle-memory"] = run("pymerkle-memory", n)
            assert r["pymerkle-memory"]["root"] == r["ours-extend"]["root"], "roots differ!"
            r["pymerkle-sqlite"] = run("pymerkle-sqlite", n, f"{scratch}/pymerkle.db")
            for op in ("root", "inclusion", "consistency"):
                r[f"cold-pymerkle-{op}"] = run("cold", n, f"{scratch}/pymerkle.db", "pymerkle", op)
        for number, store in enumerate(DB_STORES):
            path = f"{scratch}/store{number}.db"
            if "PostgreSQL" in store:
                if not have_postgres():
                    print(f"  skipped {store}: no PostgreSQL at 127.0.0.1:5432", flush=True)
                    continue
                path = "postgres"
            r[f"db-append-{number}"] = run("db-append", n, path, store)
            for op in ("root", "inclusion", "consistency"):
                r[f"cold-{number}-{op}"] = run("cold", n, path, store, op)
        bundle_path = f"{scratch}/bundle.json"
        written = run("write-bundle", n, bundle_path)
        r["verify-bundle"] = run("verify-bundle", bundle_path, written["vkey"])
        r["verify-bundle"]["file_bytes"] = written["bytes"]
        if r["verify-bundle"]["status"] != 0:
            raise SystemExit(f"bundle did not verify:\n{r['verify-bundle']['output']}")

    section = report(n, r, pymerkle)
    print(section)
    if not args.no_write:
        write_section(section)
        print(f"written to {DOC.relative_to(ROOT)}")


def report(n: int, r: dict[str, dict[str, object]], pymerkle: bool) -> str:
    limit = float(r["hashlib"]["seconds"])  # type: ignore[arg-type]

    def vs_limit(key: str) -> str:
        return f"{float(r[key]['seconds']) / limit:.2f}×"  # type: ignore[arg-type]

    def vs_pymerkle(ours: str, theirs: str) -> str:
        if theirs not in r:
            return "—"
        ratio = float(r[theirs]["seconds"]) / float(r[ours]["seconds"])  # type: ignore[arg-type]
        return f"{ratio:,.1f}× faster" if ratio >= 1 else f"{1 / ratio:,.1f}× slower"

    lines = [
        "## Transparency log",
        "",
        f"Run `.venv/bin/python bench/transparency_bench.py --n {n}` to reproduce.",
        f"Machine: {machine()}. Python {platform.python_version()}. "
        f"Date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d}.",
        f"Data: {n:,} random 64-byte entries (seed {SEED}), the same for every row; "
        "each row ran in its own fresh process. Memory is the peak resident memory "
        "added on top of the loaded entries. pymerkle "
        f"{'7 (its RFC 9162 roots equal ours, checked)' if pymerkle else 'was not installed'}.",
        "",
        "| what | time | memory | vs pymerkle | vs hashlib limit |",
        "| --- | ---: | ---: | ---: | ---: |",
        f"| hashlib limit: {2 * n - 1:,} SHA-256 of 65 bytes | {seconds(limit)} | | | 1.00× |",
        f"| ours, in memory, `extend` of {n:,} | {seconds(r['ours-extend']['seconds'])} "
        f"| {mb(r['ours-extend']['memory'])} | {vs_pymerkle('ours-extend', 'pymerkle-memory')} "
        f"| {vs_limit('ours-extend')} |",
        f"| ours, in memory, {n:,} single `append` calls | {seconds(r['ours-append']['seconds'])} "
        f"| {mb(r['ours-append']['memory'])} | {vs_pymerkle('ours-append', 'pymerkle-memory')} "
        f"| {vs_limit('ours-append')} |",
    ]
    if pymerkle:
        lines += [
            "| pymerkle `InmemoryTree.append_entries` "
            f"| {seconds(r['pymerkle-memory']['seconds'])} "
            f"| {mb(r['pymerkle-memory']['memory'])} | 1.0× | {vs_limit('pymerkle-memory')} |",
            f"| pymerkle `SqliteTree.append_entries` | {seconds(r['pymerkle-sqlite']['seconds'])} "
            f"| | 1.0× | {vs_limit('pymerkle-sqlite')} |",
        ]
    for number, store in enumerate(DB_STORES):
        if f"db-append-{number}" not in r:
            continue
        lines.append(
            f"| {store}: bulk append | {seconds(r[f'db-append-{number}']['seconds'])} | "
            f"| {vs_pymerkle(f'db-append-{number}', 'pymerkle-sqlite')} "
            f"| {vs_limit(f'db-append-{number}')} |"
        )
    lines += [
        "",
        f"Cold queries at {n:,} leaves, each from a freshly started process against the "
        "database (time from opening the database to the answer; interpreter start-up "
        "not included):",
        "",
        "| store | root | inclusion proof | consistency proof |",
        "| --- | ---: | ---: | ---: |",
    ]
    if pymerkle:
        cells = " | ".join(seconds(r[f"cold-pymerkle-{op}"]["seconds"]) for op in
                           ("root", "inclusion", "consistency"))  # fmt: skip
        lines.append(f"| pymerkle `SqliteTree` | {cells} |")
    for number, store in enumerate(DB_STORES):
        if f"cold-{number}-root" not in r:
            continue
        cells = " | ".join(
            f"{seconds(r[f'cold-{number}-{op}']['seconds'])}"
            + (
                f" ({float(r[f'cold-pymerkle-{op}']['seconds']) / float(r[f'cold-{number}-{op}']['seconds']):,.0f}× faster)"  # type: ignore[arg-type]  # noqa: E501
                if pymerkle
                else ""
            )
            for op in ("root", "inclusion", "consistency")
        )
        lines.append(f"| {store} | {cells} |")
    v = r["verify-bundle"]
    lines += [
        "",
        "The Django store is the service's own (`pompolit.tlog`): it also keeps every entry, "
        "256 to a row, as pymerkle's SQLite tree does. On PostgreSQL, \"cold\" includes "
        "opening a TCP connection to the server and authenticating, which is most of it; "
        "a running service keeps its connection open.",
        "",
        f"`pompolit-verify bundle` over a {n:,}-leaf bundle "
        f"({float(v['file_bytes']) / 2**20:,.0f} MB of JSON, with a previous checkpoint "  # type: ignore[arg-type]
        f"and consistency proof): {seconds(v['seconds'])} "
        f"({seconds(v['wall'])} including interpreter start-up), peak resident memory "
        f"{mb(v['peak_rss'])} for the whole process ({mb(v['memory'])} above its start); "
        f"{float(v['seconds']) / limit:.2f}× the hashlib limit.",  # type: ignore[arg-type]
        "",
    ]
    return "\n".join(lines)


def write_section(section: str) -> None:
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else "# Benchmarks\n\n"
    pattern = re.compile(r"^## Transparency log\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text)
    else:
        text = text.rstrip("\n") + "\n\n" + section + "\n"
    DOC.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
