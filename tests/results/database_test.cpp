#include <doctest/doctest.h>

#include <fstream>

#include "core/fs.hpp"
#include "results/database.hpp"
#include "tests/results/helpers.hpp"

using namespace hubbench;
using namespace hubbench::results;
using hubbench::test::error_of;


TEST_SUITE("unit") {
TEST_CASE("values bound as parameters come back with their types") {
    TempDir dir("results");
    Database db(dir.path() / "t.db");
    db.execute("CREATE TABLE t (i INTEGER, r REAL, s TEXT, b INTEGER)");
    // A quote in the text proves the value is bound, not spliced into SQL.
    db.prepare("INSERT INTO t VALUES (?, ?, ?, ?)").bind_all(std::int64_t{1} << 40, 0.1, std::string("it's"), true).run();
    auto s = db.prepare("SELECT i, r, s, b FROM t");
    REQUIRE(s.step());
    CHECK(s.column_int64(0) == (std::int64_t{1} << 40));
    CHECK(s.column_double(1) == 0.1);
    CHECK(s.column_text(2) == "it's");
    CHECK(s.column_bool(3));
    CHECK_FALSE(s.step());
}

TEST_CASE("required getters reject NULL and optional getters return nullopt") {
    TempDir dir("results");
    Database db(dir.path() / "t.db");
    db.execute("CREATE TABLE t (value INTEGER, label TEXT)");
    db.prepare("INSERT INTO t VALUES (?, ?)").bind_all(nullptr, std::optional<std::string>()).run();
    auto s = db.prepare("SELECT value, label FROM t");
    REQUIRE(s.step());
    CHECK(s.column_is_null(0));
    auto message = error_of([&] { s.column_int64(0); });
    CHECK(message.find("column 'value' is NULL") != std::string::npos);
    CHECK(message.find("t.db") != std::string::npos);
    CHECK_THROWS_AS(s.column_text(1), Error);
    CHECK_THROWS_AS(s.column_double(0), Error);
    CHECK_FALSE(s.column_optional_int64(0).has_value());
    CHECK_FALSE(s.column_optional_text(1).has_value());
}

TEST_CASE("getters reject a value of the wrong type") {
    TempDir dir("results");
    Database db(dir.path() / "t.db");
    auto s = db.prepare("SELECT 'seven', 7, 2");
    REQUIRE(s.step());
    CHECK_THROWS_AS(s.column_int64(0), Error);
    CHECK_THROWS_AS(s.column_text(1), Error);
    CHECK(s.column_double(1) == 7.0);  // an integer is a number
    CHECK_THROWS_AS(s.column_bool(2), Error);
}

TEST_CASE("a transaction rolls back in its destructor unless committed") {
    TempDir dir("results");
    Database db(dir.path() / "t.db");
    db.execute("CREATE TABLE t (x INTEGER)");
    {
        Transaction tx(db);
        db.prepare("INSERT INTO t VALUES (1)").run();
    }
    {
        Transaction tx(db);
        db.prepare("INSERT INTO t VALUES (2)").run();
        tx.commit();
    }
    try {
        Transaction tx(db);
        db.prepare("INSERT INTO t VALUES (3)").run();
        throw std::runtime_error("fails before commit");
    } catch (const std::runtime_error&) {
    }
    auto s = db.prepare("SELECT group_concat(x) FROM t");
    REQUIRE(s.step());
    CHECK(s.column_text(0) == "2");
}

TEST_CASE("a database opened for writing uses WAL and enforces foreign keys") {
    TempDir dir("results");
    Database db(dir.path() / "t.db");
    auto mode = db.prepare("PRAGMA journal_mode");
    REQUIRE(mode.step());
    CHECK(mode.column_text(0) == "wal");
    auto fk = db.prepare("PRAGMA foreign_keys");
    REQUIRE(fk.step());
    CHECK(fk.column_int64(0) == 1);
    db.execute("CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c (p INTEGER NOT NULL REFERENCES p (id))");
    CHECK_THROWS_AS(db.prepare("INSERT INTO c VALUES (42)").run(), Error);
}

TEST_CASE("cached statements are reset and their bindings cleared on reuse") {
    TempDir dir("results");
    Database db(dir.path() / "t.db");
    auto& first = db.cached("SELECT ?");
    first.bind_all(5);
    REQUIRE(first.step());
    auto& again = db.cached("SELECT ?");
    CHECK(&first == &again);
    REQUIRE(again.step());
    CHECK(again.column_is_null(0));
}

TEST_CASE("an unsigned value above the int64 range is refused") {
    TempDir dir("results");
    Database db(dir.path() / "t.db");
    auto s = db.prepare("SELECT ?");
    CHECK_THROWS_AS(s.bind(1, std::uint64_t{1} << 63), Error);
}
}

TEST_SUITE("integration") {
TEST_CASE("a text file given as a database is a one-line error naming the file") {
    TempDir dir("results");
    auto path = dir.path() / "notes.db";
    std::ofstream(path) << "these are notes, not a database\n";
    for (auto mode : {OpenMode::read_only, OpenMode::read_write, OpenMode::create}) {
        std::string message;
        try {
            Database db(path, {mode});
        } catch (const Error& e) {
            message = e.what();
            CHECK(e.kind() == ErrorKind::invalid_input);
        }
        CHECK(message.find(path.string() + ": not a SQLite database") == 0);
        CHECK(message.find('\n') == std::string::npos);
    }
    // Nothing was written to the file.
    CHECK(read_file(path) == "these are notes, not a database\n");
}

TEST_CASE("a read-only open refuses writes and leaves no -wal or -shm files behind") {
    TempDir dir("results");
    auto path = dir.path() / "t.db";
    {
        Database db(path);
        db.execute("CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1)");
    }
    auto bytes = read_file(path);
    {
        Database db(path, {OpenMode::read_only});
        CHECK(db.read_only());
        auto s = db.prepare("SELECT x FROM t");
        REQUIRE(s.step());
        CHECK(s.column_int64(0) == 1);
        CHECK_THROWS_AS(db.execute("INSERT INTO t VALUES (2)"), Error);
    }
    CHECK(read_file(path) == bytes);
    CHECK_FALSE(fs::exists(path.string() + "-wal"));
    CHECK_FALSE(fs::exists(path.string() + "-shm"));
}

TEST_CASE("a missing file is an error in the read modes and created in create mode") {
    TempDir dir("results");
    auto path = dir.path() / "missing.db";
    auto message = error_of([&] { Database db(path, {OpenMode::read_only}); });
    CHECK(message == path.string() + ": no such results database");
    CHECK_FALSE(fs::exists(path));
    CHECK_THROWS_AS(Database(path, {OpenMode::read_write}), Error);
    { Database db(path); }
    CHECK(fs::exists(path));
}

TEST_CASE("a directory or an unwritable location is a one-line error") {
    TempDir dir("results");
    auto message = error_of([&] { Database db(dir.path()); });
    CHECK(message.find("is a directory") != std::string::npos);
    message = error_of([&] { Database db(dir.path() / "no" / "such" / "dir" / "x.db"); });
    CHECK(message.find("cannot open") != std::string::npos);
}
}
