#include <doctest/doctest.h>

#include <fstream>

#include "core/fs.hpp"
#include "results/schema.hpp"
#include "results/store.hpp"
#include "tests/results/helpers.hpp"

using namespace hubbench;
using namespace hubbench::results;
using hubbench::test::error_of;

namespace {


std::vector<std::string> table_names(Database& db) {
    auto s = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
    std::vector<std::string> names;
    while (s.step()) names.push_back(s.column_text(0));
    return names;
}

}  // namespace

TEST_SUITE("integration") {
TEST_CASE("an empty file becomes a database at the current schema version") {
    TempDir dir("results");
    auto path = dir.path() / "empty.db";
    std::ofstream(path).close();
    REQUIRE(fs::file_size(path) == 0);
    { ResultStore store(path); }
    Database db(path, {OpenMode::read_only});
    CHECK(db.user_version() == current_schema_version());
    auto tables = table_names(db);
    for (const char* t : {"datasets", "metrics", "models", "results", "runs", "trials"}) {
        CHECK_MESSAGE(std::find(tables.begin(), tables.end(), t) != tables.end(), t);
    }
    CHECK(test::integrity(path) == "ok");
}

TEST_CASE("opening a current database again changes nothing") {
    TempDir dir("results");
    auto path = dir.path() / "h.db";
    { ResultStore store(path); }
    auto before = read_file(path);
    { ResultStore store(path); }
    { ResultStore store(path, {OpenMode::read_only}); }
    Database db(path, {OpenMode::read_only});
    CHECK(db.user_version() == current_schema_version());
}

TEST_CASE("a database from a newer hubbench is refused and left alone") {
    TempDir dir("results");
    auto path = dir.path() / "future.db";
    {
        Database db(path);
        db.set_user_version(current_schema_version() + 1);
    }
    auto message = error_of([&] { ResultStore store(path); });
    CHECK(message.find("is newer than this hubbench supports") != std::string::npos);
    Database db(path, {OpenMode::read_only});
    CHECK(db.user_version() == current_schema_version() + 1);
    CHECK(table_names(db).empty());
}

TEST_CASE("another application's SQLite file is refused and left alone") {
    TempDir dir("results");
    auto path = dir.path() / "other.db";
    {
        Database db(path);
        db.execute("CREATE TABLE notes (text TEXT)");
    }
    auto message = error_of([&] { ResultStore store(path); });
    CHECK(message.find("not a hubbench results database") != std::string::npos);
    Database db(path, {OpenMode::read_only});
    CHECK(table_names(db) == std::vector<std::string>{"notes"});
}

TEST_CASE("a read-only store refuses an empty file instead of creating tables") {
    TempDir dir("results");
    auto path = dir.path() / "empty.db";
    std::ofstream(path).close();
    CHECK(error_of([&] { ResultStore store(path, {OpenMode::read_only}); }).find("no schema") != std::string::npos);
    CHECK(fs::file_size(path) == 0);
}
}
