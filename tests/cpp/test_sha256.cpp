// SHA-256 through OpenSSL (core/sha256.hpp), against the FIPS 180-2 example messages.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>

#include "rectify/core/error.hpp"
#include "rectify/core/sha256.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using rectify::test::message_of;

namespace {

// A file in a fresh temporary folder, removed with the folder.
class temp_dir {
 public:
  temp_dir() {
    path_ = fs::temp_directory_path() / ("rectify_sha256_" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~temp_dir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  temp_dir(const temp_dir&) = delete;
  temp_dir& operator=(const temp_dir&) = delete;
  std::string write(const std::string& name, const std::string& bytes) const {
    auto p = path_ / name;
    std::ofstream(p, std::ios::binary) << bytes;
    return p.string();
  }
  std::string path() const { return path_.string(); }

 private:
  fs::path path_;
};

constexpr const char* kEmpty = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";
constexpr const char* kAbc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
constexpr const char* kMillionA = "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

}  // namespace

TEST_CASE("sha256: FIPS 180-2 examples", "[sha256]") {
  CHECK(rectify::sha256_hex("") == kEmpty);
  CHECK(rectify::sha256_hex("abc") == kAbc);
  CHECK(rectify::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(rectify::sha256_hex(std::string(1000000, 'a')) == kMillionA);
}

TEST_CASE("sha256: bytes are hashed as they are, NUL and non-ASCII included", "[sha256]") {
  // "abc" with a NUL after it is a different message from "abc".
  CHECK(rectify::sha256_hex(std::string("abc\0", 4)) != kAbc);
  CHECK(rectify::sha256_hex(std::string("abc\0", 3)) == kAbc);
}

TEST_CASE("sha256: files are hashed in blocks with their size", "[sha256]") {
  temp_dir dir;
  auto empty = rectify::sha256_file(dir.write("empty.bin", ""));
  CHECK(empty.sha256 == kEmpty);
  CHECK(empty.bytes == 0);
  auto abc = rectify::sha256_file(dir.write("abc.txt", "abc"));
  CHECK(abc.sha256 == kAbc);
  CHECK(abc.bytes == 3);
  // A million bytes span many read blocks (and end in a partial one).
  auto big = rectify::sha256_file(dir.write("big.bin", std::string(1000000, 'a')));
  CHECK(big.sha256 == kMillionA);
  CHECK(big.bytes == 1000000);
  // Sizes at a block boundary and just past it agree with hashing the bytes at once.
  for (std::size_t n : {std::size_t{65535}, std::size_t{65536}, std::size_t{65537}, std::size_t{131072}}) {
    std::string bytes(n, '\0');
    for (std::size_t i = 0; i < n; ++i) bytes[i] = static_cast<char>(i * 131 % 251);
    auto f = rectify::sha256_file(dir.write("b" + std::to_string(n), bytes));
    INFO(n);
    CHECK(f.sha256 == rectify::sha256_hex(bytes));
    CHECK(f.bytes == n);
  }
}

TEST_CASE("sha256: an unreadable file is rectify.io.open naming it", "[sha256]") {
  temp_dir dir;
  const std::string missing = dir.path() + "/missing.pdf";
  CHECK(message_of([&] { (void)rectify::sha256_file(missing); }) ==
        missing + ": [rectify.io.open] cannot read the file: No such file or directory");
  CHECK(message_of([&] { (void)rectify::sha256_file(dir.path()); }) ==
        dir.path() + ": [rectify.io.open] cannot read the file: it is a directory");
}

TEST_CASE("sha256: is_sha256_hex takes exactly 64 lowercase hex characters", "[sha256]") {
  CHECK(rectify::is_sha256_hex(kAbc));
  CHECK(rectify::is_sha256_hex(std::string(64, '0')));
  CHECK_FALSE(rectify::is_sha256_hex(""));
  CHECK_FALSE(rectify::is_sha256_hex(std::string(63, '0')));
  CHECK_FALSE(rectify::is_sha256_hex(std::string(65, '0')));
  CHECK_FALSE(rectify::is_sha256_hex(std::string(63, '0') + "A"));
  CHECK_FALSE(rectify::is_sha256_hex(std::string(63, '0') + "g"));
  CHECK_FALSE(rectify::is_sha256_hex(std::string(63, '0') + " "));
}
