"""Tests of SQLite storage: pragmas, migrations, concurrent writers and backup."""

import sqlite3
import threading

import pytest

from appeals import db


def test_connection_pragmas(tmp_path):
    """Is a connection in WAL mode with foreign keys on and a busy timeout?"""
    connection = db.connect(tmp_path / "a.sqlite")
    try:
        assert connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        timeout = connection.execute("PRAGMA busy_timeout").fetchone()[0]
        assert timeout == db.BUSY_TIMEOUT_MS
    finally:
        connection.close()


def test_migrate_creates_schema(tmp_path):
    """Does a new database get every table and the current schema version?"""
    connection = db.connect(tmp_path / "a.sqlite")
    try:
        assert db.migrate(connection) == db.SCHEMA_VERSION
        tables = {
            row[0]
            for row in connection.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            )
        }
        assert {"users", "practice", "payers", "appeals", "audit"} <= tables
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        assert version == db.SCHEMA_VERSION
    finally:
        connection.close()


def test_migrate_keeps_rows(tmp_path):
    """Does running the migrations again on a used database keep its rows?"""
    connection = db.connect(tmp_path / "a.sqlite")
    try:
        db.migrate(connection)
        connection.execute(
            "INSERT INTO users (username, password_hash, created_at) "
            "VALUES ('kept', 'x', 'now')"
        )
        db.migrate(connection)
        count = connection.execute("SELECT COUNT(*) FROM users").fetchone()[0]
        assert count == 1
    finally:
        connection.close()


def test_migrate_rejects_newer_schema(tmp_path):
    """Does an older release refuse a database from a newer one?"""
    connection = db.connect(tmp_path / "a.sqlite")
    try:
        connection.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")
        with pytest.raises(RuntimeError, match="newer"):
            db.migrate(connection)
    finally:
        connection.close()


def test_foreign_keys_enforced(tmp_path):
    """Is an appeal that names a missing user rejected?"""
    connection = db.connect(tmp_path / "a.sqlite")
    try:
        db.migrate(connection)
        with pytest.raises(sqlite3.IntegrityError):
            connection.execute(
                "INSERT INTO appeals (created_by, claim_number, service_date, "
                "payer_name, route, form_json, case_json, decision_json, "
                "created_at, updated_at) VALUES (999, 'c', 'd', 'p', 'appeal', "
                "'[]', '{}', '{}', 'now', 'now')"
            )
    finally:
        connection.close()


def test_transaction_rolls_back(tmp_path):
    """Does an exception inside a transaction leave no partial write?"""
    connection = db.connect(tmp_path / "a.sqlite")
    try:
        db.migrate(connection)
        with pytest.raises(ValueError):
            with db.transaction(connection):
                connection.execute(
                    "INSERT INTO users (username, password_hash, created_at) "
                    "VALUES ('half', 'x', 'now')"
                )
                raise ValueError("stop")
        count = connection.execute("SELECT COUNT(*) FROM users").fetchone()[0]
        assert count == 0
    finally:
        connection.close()


def test_concurrent_writers_never_locked(tmp_path):
    """Do eight threads writing read-then-write transactions all succeed?"""
    path = tmp_path / "a.sqlite"
    setup = db.connect(path)
    db.migrate(setup)
    setup.execute(
        "INSERT INTO users (username, password_hash, created_at) "
        "VALUES ('u', 'x', 'now')"
    )
    setup.close()
    errors: list[BaseException] = []

    def writer(number: int) -> None:
        connection = db.connect(path)
        try:
            for step in range(25):
                with db.transaction(connection):
                    count = connection.execute("SELECT COUNT(*) FROM audit").fetchone()[
                        0
                    ]
                    connection.execute(
                        "INSERT INTO audit (at, action, object_type, object_id, "
                        "detail) VALUES ('now', 'view', 'test', ?, ?)",
                        (number, f"{step} after {count}"),
                    )
        except BaseException as error:  # collected and asserted below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    check = db.connect(path)
    try:
        assert check.execute("SELECT COUNT(*) FROM audit").fetchone()[0] == 200
    finally:
        check.close()


def test_backup_while_writing(tmp_path):
    """Does a backup taken during an open write connection hold committed rows?"""
    path = tmp_path / "a.sqlite"
    live = db.connect(path)
    db.migrate(live)
    live.execute(
        "INSERT INTO users (username, password_hash, created_at) "
        "VALUES ('before', 'x', 'now')"
    )
    target = tmp_path / "backup.sqlite"
    try:
        live.execute("BEGIN IMMEDIATE")
        live.execute(
            "INSERT INTO users (username, password_hash, created_at) "
            "VALUES ('uncommitted', 'x', 'now')"
        )
        db.backup_database(path, target)
        live.execute("COMMIT")
    finally:
        live.close()
    copy = sqlite3.connect(target)
    try:
        names = [row[0] for row in copy.execute("SELECT username FROM users")]
        assert names == ["before"]
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        copy.close()


def test_database_file_private(app):
    """Is the database file readable and writable by its owner only?"""
    import stat
    from pathlib import Path

    mode = stat.S_IMODE(Path(app.config["DATABASE"]).stat().st_mode)
    assert mode == 0o600


def test_backup_command_copies_database(tmp_path, monkeypatch, capsys):
    """Does `appeals backup` write a readable copy and refuse to overwrite one?"""
    from appeals import cli, create_app

    app = _app_on(create_app, tmp_path)
    monkeypatch.setattr("appeals.create_app", lambda: app)
    target = tmp_path / "copy.sqlite"
    assert cli.main(["backup", str(target)]) == 0
    copy = sqlite3.connect(target)
    try:
        version = copy.execute("PRAGMA user_version").fetchone()[0]
    finally:
        copy.close()
    assert version == db.SCHEMA_VERSION
    assert cli.main(["backup", str(target)]) == 2
    assert "already exists" in capsys.readouterr().err


def _app_on(create_app, folder):
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test",
            "INSTANCE_PATH": str(folder),
            "DATABASE": str(folder / "live.sqlite"),
        }
    )
