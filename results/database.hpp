// A thin RAII layer over the SQLite C API: a connection (Database), prepared statements
// (Statement) and transactions (Transaction). It is the only code in hubbench that calls sqlite3_*.
//
// Every failure becomes a hubbench::Error whose one-line message names the database file, so a
// corrupt or non-SQLite --db file reads "x.db: not a SQLite database (file is not a database)"
// rather than a crash. Values always travel as bound parameters; no SQL is built from user data.
#pragma once
#include <chrono>
#include <concepts>
#include <cstdint>
#include <filesystem>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "core/error.hpp"

struct sqlite3;
struct sqlite3_stmt;

namespace hubbench::results {

namespace fs = std::filesystem;

// SQLite stayed busy (another process held the write lock) past the busy timeout. Writers catch it
// and retry the whole transaction (retry_on_busy); anyone else sees an ordinary Error(io).
class BusyError : public Error {
public:
    explicit BusyError(const std::string& message) : Error(ErrorKind::io, message) {}
};

enum class OpenMode {
    read_only,   // the file must exist; nothing is written (not even a migration)
    read_write,  // the file must exist
    create,      // created when missing (an empty file is a valid empty database too)
};

struct DatabaseOptions {
    OpenMode mode = OpenMode::create;
    // How long a statement waits for another process's lock before SQLITE_BUSY.
    std::chrono::milliseconds busy_timeout{10'000};
    // synchronous=FULL: a committed result survives power loss, not only a killed process.
    // false gives synchronous=NORMAL, which in WAL mode is still safe against crashes of the
    // process (https://sqlite.org/wal.html "Performance Considerations") and is faster.
    bool durable = true;
};

class Database;

// A prepared statement. Parameters are 1-based (as in sqlite3_bind_*), columns 0-based (as in
// sqlite3_column_*). Getters are typed and strict: column_int64() on NULL or on a TEXT value
// throws; use the column_optional_* forms where NULL is allowed by the schema.
class Statement {
public:
    Statement(Database& db, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    Statement& bind(int index, std::nullptr_t);
    Statement& bind(int index, double value);
    Statement& bind(int index, std::string_view value);
    Statement& bind(int index, const std::string& value) { return bind(index, std::string_view(value)); }
    Statement& bind(int index, const char* value) { return bind(index, std::string_view(value)); }
    template <std::integral T>
    Statement& bind(int index, T value) {
        if constexpr (std::is_unsigned_v<T> && sizeof(T) >= sizeof(std::int64_t)) {
            if (value > static_cast<T>(std::numeric_limits<std::int64_t>::max())) bind_out_of_range(index);
        }
        return bind_int64(index, static_cast<std::int64_t>(value));
    }
    template <typename T>
    Statement& bind(int index, const std::optional<T>& value) {
        return value ? bind(index, *value) : bind(index, nullptr);
    }
    // Binds values to parameters 1..N in order.
    template <typename... T>
    Statement& bind_all(const T&... values) {
        int index = 0;
        (bind(++index, values), ...);
        return *this;
    }

    // Advances; true when a row is available, false when the statement is done.
    bool step();
    // Runs a statement that returns no rows (INSERT/UPDATE/DELETE/DDL), then resets it.
    void run();
    // Ready to run again: resets and clears all bindings.
    void reset();

    int column_count() const;
    std::string column_name(int column) const;
    bool column_is_null(int column) const;
    std::int64_t column_int64(int column) const;
    double column_double(int column) const;  // accepts INTEGER and REAL values
    std::string column_text(int column) const;
    bool column_bool(int column) const;       // an INTEGER that must be 0 or 1
    std::optional<std::int64_t> column_optional_int64(int column) const;
    std::optional<double> column_optional_double(int column) const;
    std::optional<std::string> column_optional_text(int column) const;
    std::optional<bool> column_optional_bool(int column) const;

    const std::string& sql() const { return sql_; }

private:
    Statement& bind_int64(int index, std::int64_t value);
    [[noreturn]] void bind_out_of_range(int index);
    void check_bind(int rc, int index);
    void require_type(int column, int type, const char* wanted) const;

    Database* db_;
    sqlite3_stmt* stmt_ = nullptr;
    std::string sql_;
};

// One connection to one database file, configured for hubbench's use: extended result codes,
// a busy timeout, foreign keys enforced, and (when writable) WAL journaling so that readers and
// one writer at a time from several processes do not block each other.
class Database {
public:
    explicit Database(const fs::path& path, DatabaseOptions options = {});
    ~Database();
    // Statements keep a pointer to their Database, so it stays where it was created.
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    const fs::path& path() const { return path_; }
    bool read_only() const { return options_.mode == OpenMode::read_only; }

    // Runs SQL text without parameters: schema steps and pragmas only, never user data.
    void execute(std::string_view sql);
    Statement prepare(std::string_view sql) { return Statement(*this, sql); }
    // A statement prepared once per connection and reused (reset, bindings cleared) on each call.
    // Not re-entrant: do not ask for the same SQL while an earlier use is still stepping.
    Statement& cached(std::string_view sql);

    std::int64_t last_insert_rowid() const;
    int changes() const;  // rows changed by the last INSERT/UPDATE/DELETE

    int user_version();
    void set_user_version(int version);

    // Copies this whole database into `destination` (the online backup API), replacing what was
    // there: e.g. a snapshot into ":memory:" that can be migrated without touching the file.
    void backup_into(Database& destination);

    // Throws the Error (or BusyError) that describes SQLite result code `rc`, naming the file.
    [[noreturn]] void fail(int rc, std::string_view what) const;

    sqlite3* handle() { return db_; }

private:
    void configure();

    sqlite3* db_ = nullptr;
    fs::path path_;
    DatabaseOptions options_;
    std::unordered_map<std::string, std::unique_ptr<Statement>> cache_;
};

enum class TransactionKind {
    deferred,   // BEGIN: for reads that must see one consistent snapshot
    immediate,  // BEGIN IMMEDIATE: takes the write lock up front, so the busy timeout applies
                // (a deferred reader upgrading to a writer can fail at once with SQLITE_BUSY in
                // WAL mode; https://sqlite.org/lang_transaction.html)
};

// Rolls back in its destructor unless commit() was called.
class Transaction {
public:
    explicit Transaction(Database& db, TransactionKind kind = TransactionKind::immediate);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& db_;
    bool open_ = true;
};

// Runs `work` (which opens and commits its own transaction) again when it throws BusyError, up to
// `attempts` times with a growing pause, then lets the last BusyError through.
template <typename F>
auto retry_on_busy(F&& work, int attempts = 20) -> decltype(work());

void pause_before_retry(int attempt);

template <typename F>
auto retry_on_busy(F&& work, int attempts) -> decltype(work()) {
    for (int attempt = 1;; ++attempt) {
        try {
            return work();
        } catch (const BusyError&) {
            if (attempt >= attempts) throw;
            pause_before_retry(attempt);
        }
    }
}

}  // namespace hubbench::results
