#pragma once
/// SHA-256 through OpenSSL's libcrypto (the EVP interface), for the ledger's hash chain and
/// for evidence files. Hex digests are 64 lowercase characters.
#include <cstdint>
#include <string>
#include <string_view>

namespace rectify {

/// The SHA-256 of `bytes`, as 64 lowercase hex characters.
[[nodiscard]] std::string sha256_hex(std::string_view bytes);

/// A file's digest and size, read once in blocks (a large evidence scan is never held whole).
struct file_digest {
  std::string sha256;
  std::uint64_t bytes = 0;
};

/// Hashes the file at `path`. Throws `rectify.io.open` (with the system's reason) when it
/// cannot be opened or read, or names a directory.
[[nodiscard]] file_digest sha256_file(const std::string& path);

/// True for exactly 64 characters of `0-9a-f`.
[[nodiscard]] bool is_sha256_hex(std::string_view s) noexcept;

}  // namespace rectify
