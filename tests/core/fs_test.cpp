#include <doctest/doctest.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <csignal>

#include "core/error.hpp"
#include "core/fs.hpp"

using namespace hubbench;

TEST_SUITE("unit") {
TEST_CASE("write_file_atomic creates and replaces a file and leaves no temporary behind") {
    TempDir dir;
    auto target = dir.path() / "out.json";
    write_file_atomic(target, "first");
    CHECK(read_file(target) == "first");
    write_file_atomic(target, "second, longer");
    CHECK(read_file(target) == "second, longer");
    int entries = 0;
    for ([[maybe_unused]] auto& e : fs::directory_iterator(dir.path())) ++entries;
    CHECK(entries == 1);
}

TEST_CASE("write_file_atomic into a missing directory is an io error naming the path") {
    TempDir dir;
    auto target = dir.path() / "missing" / "out.txt";
    try {
        write_file_atomic(target, "x");
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::io);
        CHECK(std::string(e.what()).find(target.string()) != std::string::npos);
    }
}

TEST_CASE("a write that hits the file-size limit (a full disk) keeps the old content") {
    TempDir dir;
    auto target = dir.path() / "data.bin";
    write_file_atomic(target, "old content");
    // In a child: limit file size to 1 KiB, so writing 64 KiB fails with EFBIG like ENOSPC would.
    pid_t pid = fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        std::signal(SIGXFSZ, SIG_IGN);
        rlimit limit{1024, 1024};
        setrlimit(RLIMIT_FSIZE, &limit);
        try {
            write_file_atomic(target, std::string(65536, 'x'));
            _exit(0);
        } catch (const Error& e) {
            _exit(e.kind() == ErrorKind::io ? 3 : 4);
        }
    }
    int status = 0;
    waitpid(pid, &status, 0);
    REQUIRE(WIFEXITED(status));
    CHECK(WEXITSTATUS(status) == 3);
    CHECK(read_file(target) == "old content");
    int entries = 0;
    for ([[maybe_unused]] auto& e : fs::directory_iterator(dir.path())) ++entries;
    CHECK(entries == 1);
}

TEST_CASE("read_file reports a missing file as not_found with its path") {
    try {
        read_file("/nonexistent/hubbench/file");
        FAIL("expected an error");
    } catch (const Error& e) {
        CHECK(e.kind() == ErrorKind::not_found);
        CHECK(std::string(e.what()).find("/nonexistent/hubbench/file") != std::string::npos);
    }
}

TEST_CASE("TempDir removes its directory and contents") {
    fs::path kept;
    {
        TempDir dir("hubbench-test");
        kept = dir.path();
        write_file_atomic(kept / "a", "1");
        CHECK(fs::exists(kept / "a"));
    }
    CHECK_FALSE(fs::exists(kept));
}
}
