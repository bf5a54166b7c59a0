#include "results/database.hpp"

#include <sqlite3.h>
#include <unistd.h>

#include <random>
#include <thread>

#include "core/log.hpp"

namespace hubbench::results {

namespace {

// Maps a SQLite result code to hubbench's error kinds; the message always starts with the file.
[[noreturn]] void throw_sqlite(const fs::path& path, int rc, std::string_view what, const char* detail) {
    std::string message = path.string() + ": ";
    int primary = rc & 0xff;
    std::string reason = detail != nullptr && *detail != '\0' ? detail : sqlite3_errstr(rc);
    switch (primary) {
        case SQLITE_NOTADB:
            throw Error(ErrorKind::invalid_input, message + "not a SQLite database (" + reason + ")");
        case SQLITE_CORRUPT:
            throw Error(ErrorKind::invalid_input, message + "database is corrupt (" + reason + ")");
        case SQLITE_BUSY:
        case SQLITE_LOCKED:
            throw BusyError(message + std::string(what) + ": " + reason + " (another process holds the lock)");
        case SQLITE_CONSTRAINT:
            throw Error(ErrorKind::invalid_input, message + std::string(what) + ": " + reason);
        case SQLITE_CANTOPEN:
            throw Error(ErrorKind::io, message + "cannot open: " + reason);
        case SQLITE_NOMEM:
            throw std::bad_alloc();
        case SQLITE_INTERRUPT:
            throw Error(ErrorKind::interrupted, message + std::string(what) + ": interrupted");
        case SQLITE_MISUSE:
        case SQLITE_RANGE:
        case SQLITE_ERROR:
            // SQLITE_ERROR is mostly a bad statement; for hubbench's fixed SQL that is a bug or
            // a schema that is not ours.
            throw Error(ErrorKind::internal, message + std::string(what) + ": " + reason);
        default:
            throw Error(ErrorKind::io, message + std::string(what) + ": " + reason);
    }
}

bool writable(const fs::path& path) {
    fs::path dir = path.parent_path().empty() ? fs::path(".") : path.parent_path();
    return ::access(path.c_str(), W_OK) == 0 && ::access(dir.c_str(), W_OK) == 0;
}

}  // namespace

// ---- Statement ----------------------------------------------------------------------------

Statement::Statement(Database& db, std::string_view sql) : db_(&db), sql_(sql) {
    int rc = sqlite3_prepare_v3(db.handle(), sql.data(), static_cast<int>(sql.size()), 0, &stmt_, nullptr);
    if (rc != SQLITE_OK) {
        sqlite3_finalize(stmt_);
        stmt_ = nullptr;
        db.fail(rc, "preparing a query");
    }
    if (stmt_ == nullptr) throw Error(ErrorKind::internal, db.path().string() + ": empty SQL statement");
}

Statement::~Statement() { sqlite3_finalize(stmt_); }

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_), sql_(std::move(other.sql_)) {
    other.stmt_ = nullptr;
}

void Statement::check_bind(int rc, int index) {
    if (rc != SQLITE_OK) db_->fail(rc, "binding parameter " + std::to_string(index));
}

Statement& Statement::bind(int index, std::nullptr_t) {
    check_bind(sqlite3_bind_null(stmt_, index), index);
    return *this;
}

Statement& Statement::bind(int index, double value) {
    check_bind(sqlite3_bind_double(stmt_, index, value), index);
    return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
    check_bind(sqlite3_bind_text64(stmt_, index, value.data(), value.size(), SQLITE_TRANSIENT, SQLITE_UTF8), index);
    return *this;
}

Statement& Statement::bind_int64(int index, std::int64_t value) {
    check_bind(sqlite3_bind_int64(stmt_, index, value), index);
    return *this;
}

void Statement::bind_out_of_range(int index) {
    throw Error(ErrorKind::invalid_input,
                db_->path().string() + ": parameter " + std::to_string(index) + " does not fit a 64-bit signed integer");
}

bool Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    // After a failed step the statement must be reset before reuse; the error message is kept.
    sqlite3_reset(stmt_);
    db_->fail(rc, "running a query");
}

void Statement::run() {
    while (step()) {
    }
    reset();
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

int Statement::column_count() const { return sqlite3_column_count(stmt_); }

std::string Statement::column_name(int column) const {
    const char* name = sqlite3_column_name(stmt_, column);
    return name != nullptr ? name : "?";
}

bool Statement::column_is_null(int column) const { return sqlite3_column_type(stmt_, column) == SQLITE_NULL; }

void Statement::require_type(int column, int type, const char* wanted) const {
    int actual = sqlite3_column_type(stmt_, column);
    if (actual == type || (type == SQLITE_FLOAT && actual == SQLITE_INTEGER)) return;
    std::string what = actual == SQLITE_NULL ? "NULL where a value is required" : std::string("not ") + wanted;
    throw Error(ErrorKind::invalid_input,
                db_->path().string() + ": column '" + column_name(column) + "' is " + what);
}

std::int64_t Statement::column_int64(int column) const {
    require_type(column, SQLITE_INTEGER, "an integer");
    return sqlite3_column_int64(stmt_, column);
}

double Statement::column_double(int column) const {
    require_type(column, SQLITE_FLOAT, "a number");
    return sqlite3_column_double(stmt_, column);
}

std::string Statement::column_text(int column) const {
    require_type(column, SQLITE_TEXT, "text");
    const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(stmt_, column));
    return std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

bool Statement::column_bool(int column) const {
    auto v = column_int64(column);
    if (v != 0 && v != 1) {
        throw Error(ErrorKind::invalid_input, db_->path().string() + ": column '" + column_name(column) + "' is " +
                                                  std::to_string(v) + ", expected 0 or 1");
    }
    return v == 1;
}

std::optional<std::int64_t> Statement::column_optional_int64(int column) const {
    if (column_is_null(column)) return std::nullopt;
    return column_int64(column);
}

std::optional<double> Statement::column_optional_double(int column) const {
    if (column_is_null(column)) return std::nullopt;
    return column_double(column);
}

std::optional<std::string> Statement::column_optional_text(int column) const {
    if (column_is_null(column)) return std::nullopt;
    return column_text(column);
}

std::optional<bool> Statement::column_optional_bool(int column) const {
    if (column_is_null(column)) return std::nullopt;
    return column_bool(column);
}

// ---- Database -----------------------------------------------------------------------------

Database::Database(const fs::path& path, DatabaseOptions options) : path_(path), options_(options) {
    std::error_code ec;
    bool exists = fs::exists(path, ec);
    if (exists && fs::is_directory(path, ec)) {
        throw Error(ErrorKind::invalid_input, path.string() + ": is a directory, expected a SQLite database file");
    }
    if (!exists && options.mode != OpenMode::create) {
        throw Error(ErrorKind::not_found, path.string() + ": no such results database");
    }
    int flags = SQLITE_OPEN_EXRESCODE;
    switch (options.mode) {
        case OpenMode::read_only:
            // A WAL file opened with SQLITE_OPEN_READONLY keeps its -wal and -shm files after
            // close (https://sqlite.org/wal.html#readonly), so `db check` or a merge would leave
            // litter beside every input. When we could write, open read-write and forbid writes
            // with PRAGMA query_only instead: the last close then tidies up as usual.
            flags |= writable(path) ? SQLITE_OPEN_READWRITE : SQLITE_OPEN_READONLY;
            break;
        case OpenMode::read_write: flags |= SQLITE_OPEN_READWRITE; break;
        case OpenMode::create: flags |= SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
    }
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
        std::string detail = db_ != nullptr ? sqlite3_errmsg(db_) : "";
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw_sqlite(path_, rc, "opening", detail.c_str());
    }
    try {
        configure();
    } catch (...) {
        cache_.clear();
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw;
    }
}

Database::~Database() {
    cache_.clear();  // statements first: sqlite3_close_v2 would otherwise keep the handle alive
    if (db_ != nullptr) sqlite3_close_v2(db_);
}

void Database::configure() {
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, static_cast<int>(options_.busy_timeout.count()));
    // Reading the schema is what makes SQLite look at the file: a text file or random bytes fail
    // here with SQLITE_NOTADB, before any pragma could write to it.
    {
        Statement probe(*this, "SELECT count(*) FROM sqlite_schema");
        probe.step();
    }
    execute("PRAGMA foreign_keys = ON");
    if (options_.mode == OpenMode::read_only) {
        execute("PRAGMA query_only = ON");
        return;
    }
    // Switching to WAL needs a moment of exclusive access; another process opening the same new
    // file at the same time makes it report SQLITE_BUSY, so retry like any writer.
    std::string mode = retry_on_busy([&] {
        Statement wal(*this, "PRAGMA journal_mode = WAL");
        wal.step();
        return wal.column_text(0);
    });
    if (mode != "wal" && path_ != ":memory:") {
        log::warn("{}: journal mode is '{}' (WAL unavailable on this file system); concurrent writers will wait longer",
                  path_.string(), mode);
    }
    execute(options_.durable ? "PRAGMA synchronous = FULL" : "PRAGMA synchronous = NORMAL");
}

void Database::execute(std::string_view sql) {
    std::string text(sql);
    char* message = nullptr;
    int rc = sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &message);
    if (rc != SQLITE_OK) {
        std::string detail = message != nullptr ? message : "";
        sqlite3_free(message);
        throw_sqlite(path_, rc, "executing SQL", detail.c_str());
    }
}

Statement& Database::cached(std::string_view sql) {
    auto it = cache_.find(std::string(sql));
    if (it == cache_.end()) {
        it = cache_.emplace(std::string(sql), std::make_unique<Statement>(*this, sql)).first;
    } else {
        it->second->reset();
    }
    return *it->second;
}

std::int64_t Database::last_insert_rowid() const { return sqlite3_last_insert_rowid(db_); }

int Database::changes() const { return sqlite3_changes(db_); }

int Database::user_version() {
    Statement s(*this, "PRAGMA user_version");
    s.step();
    return static_cast<int>(s.column_int64(0));
}

void Database::set_user_version(int version) {
    // PRAGMA takes no bound parameters; the value is an int we produce, never user text.
    execute("PRAGMA user_version = " + std::to_string(version));
}

void Database::backup_into(Database& destination) {
    sqlite3_backup* backup = sqlite3_backup_init(destination.handle(), "main", db_, "main");
    if (backup == nullptr) destination.fail(sqlite3_errcode(destination.handle()), "copying " + path_.string());
    int rc = sqlite3_backup_step(backup, -1);
    sqlite3_backup_finish(backup);
    if (rc != SQLITE_DONE) throw_sqlite(path_, rc, "copying the database", nullptr);
}

void Database::fail(int rc, std::string_view what) const { throw_sqlite(path_, rc, what, sqlite3_errmsg(db_)); }

// ---- Transaction --------------------------------------------------------------------------

Transaction::Transaction(Database& db, TransactionKind kind) : db_(db) {
    db_.execute(kind == TransactionKind::immediate ? "BEGIN IMMEDIATE" : "BEGIN");
}

Transaction::~Transaction() {
    if (!open_) return;
    // ROLLBACK can fail only when SQLite already rolled back (after an I/O error); nothing to do.
    sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
}

void Transaction::commit() {
    db_.execute("COMMIT");
    open_ = false;
}

void pause_before_retry(int attempt) {
    // Random jitter so two shards that collided do not collide again in lockstep.
    static thread_local std::mt19937 rng{std::random_device{}()};
    int base = std::min(10 * attempt, 200);
    std::uniform_int_distribution<int> jitter(base / 2, base);
    log::debug("database busy; retrying (attempt {})", attempt + 1);
    std::this_thread::sleep_for(std::chrono::milliseconds(jitter(rng)));
}

}  // namespace hubbench::results
