"""SQLite storage: connections, schema migrations, transactions and backups.

The schema version is SQLite's ``user_version``. Each entry of ``MIGRATIONS``
moves the database one version up, so a database made by an older release is
upgraded in place on start without losing rows.
"""

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from flask import current_app, g

BUSY_TIMEOUT_MS = 10_000

MIGRATIONS: tuple[str, ...] = (
    # Version 1: users, the practice, payer profiles, appeals and the audit trail.
    """
    CREATE TABLE users (
        id INTEGER PRIMARY KEY,
        username TEXT NOT NULL UNIQUE COLLATE NOCASE,
        password_hash TEXT NOT NULL,
        is_admin INTEGER NOT NULL DEFAULT 0,
        active INTEGER NOT NULL DEFAULT 1,
        failed_logins INTEGER NOT NULL DEFAULT 0,
        locked_until TEXT,
        created_at TEXT NOT NULL
    );
    CREATE TABLE practice (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        data TEXT NOT NULL,
        updated_at TEXT NOT NULL
    );
    CREATE TABLE payers (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,
        kind TEXT NOT NULL,
        payer_id TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '',
        fax TEXT NOT NULL DEFAULT '',
        phone TEXT NOT NULL DEFAULT '',
        portal TEXT NOT NULL DEFAULT '',
        window_days INTEGER,
        required_diagnoses TEXT NOT NULL DEFAULT '',
        contracted_rates TEXT NOT NULL DEFAULT '{}',
        source_note TEXT NOT NULL DEFAULT '',
        verified_on TEXT,
        version INTEGER NOT NULL DEFAULT 1,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        updated_by INTEGER REFERENCES users (id)
    );
    CREATE TABLE appeals (
        id INTEGER PRIMARY KEY,
        created_by INTEGER NOT NULL REFERENCES users (id),
        payer_profile_id INTEGER REFERENCES payers (id) ON DELETE SET NULL,
        claim_number TEXT NOT NULL,
        service_date TEXT NOT NULL,
        payer_name TEXT NOT NULL,
        route TEXT NOT NULL,
        due_date TEXT,
        status TEXT NOT NULL DEFAULT 'draft',
        form_json TEXT NOT NULL,
        case_json TEXT NOT NULL,
        decision_json TEXT NOT NULL,
        letter_json TEXT,
        letter_edited INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        deleted_at TEXT
    );
    CREATE INDEX appeals_due ON appeals (due_date);
    CREATE TABLE audit (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        user_id INTEGER REFERENCES users (id),
        username TEXT NOT NULL DEFAULT '',
        action TEXT NOT NULL,
        object_type TEXT NOT NULL,
        object_id INTEGER,
        detail TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX audit_at ON audit (at);
    """,
    # Version 2: a one-time password must be replaced at the next sign-in.
    """
    ALTER TABLE users ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;
    """,
    # Version 3: signing out ends every session of the user started before then.
    """
    ALTER TABLE users ADD COLUMN sessions_revoked_at REAL NOT NULL DEFAULT 0;
    """,
)

SCHEMA_VERSION = len(MIGRATIONS)


def connect(path: str | Path) -> sqlite3.Connection:
    """Open a connection with WAL, foreign keys and a busy timeout."""
    connection = sqlite3.connect(
        str(path),
        timeout=BUSY_TIMEOUT_MS / 1000,
        isolation_level=None,  # transactions are opened explicitly by transaction()
        check_same_thread=False,
    )
    connection.row_factory = sqlite3.Row
    connection.execute("PRAGMA foreign_keys = ON")
    connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    connection.execute("PRAGMA journal_mode = WAL")
    connection.execute("PRAGMA synchronous = NORMAL")
    return connection


@contextmanager
def transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run a write transaction that takes the write lock at its start.

    BEGIN IMMEDIATE takes the lock up front, so two writers queue on the busy
    timeout instead of both reading and then failing with "database is locked"
    when each tries to upgrade its read lock.
    """
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        connection.execute("ROLLBACK")
        raise
    connection.execute("COMMIT")


def migrate(connection: sqlite3.Connection) -> int:
    """Bring a database up to the current schema version and return that version."""
    with transaction(connection):
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise RuntimeError(
                f"database schema version {version} is newer than this release "
                f"({SCHEMA_VERSION}); upgrade the app"
            )
        for number in range(version, SCHEMA_VERSION):
            for statement in MIGRATIONS[number].split(";"):
                if statement.strip():
                    connection.execute(statement)
            connection.execute(f"PRAGMA user_version = {number + 1}")
    return SCHEMA_VERSION


def get_db() -> sqlite3.Connection:
    """Return the request's database connection, opening it on first use."""
    if "db" not in g:
        g.db = connect(current_app.config["DATABASE"])
    return g.db


def close_db(error: BaseException | None = None) -> None:
    """Close the request's connection, if one was opened."""
    connection = g.pop("db", None)
    if connection is not None:
        connection.close()


def init_app(app) -> None:
    """Create or upgrade the database and register connection cleanup."""
    path = Path(app.config["DATABASE"])
    path.parent.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600, exist_ok=True)
    # The database contains patient data, so only its owner may read it. SQLite gives
    # its -wal and -shm files the same permissions.
    path.chmod(0o600)
    connection = connect(path)
    try:
        migrate(connection)
    finally:
        connection.close()
    app.teardown_appcontext(close_db)


def backup_database(source: str | Path, target: str | Path) -> None:
    """Copy a live database with SQLite's online backup API."""
    source_connection = connect(source)
    target_connection = sqlite3.connect(str(target))
    try:
        source_connection.backup(target_connection)
    finally:
        target_connection.close()
        source_connection.close()
