#include "rectify/core/sha256.hpp"

#include <openssl/evp.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>
#include <vector>

#include "rectify/core/error.hpp"

namespace rectify {

namespace {

struct ctx_deleter {
  void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};
using ctx_ptr = std::unique_ptr<EVP_MD_CTX, ctx_deleter>;

struct file_closer {
  void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};

// An EVP failure means libcrypto itself is broken (out of memory, a FIPS provider refusing
// SHA-256); there is no input that causes it, so it is not a user error code.
[[noreturn]] void evp_failed() {
  throw std::runtime_error("rectify: OpenSSL SHA-256 failed");
}

ctx_ptr start() {
  ctx_ptr c(EVP_MD_CTX_new());
  if (!c || EVP_DigestInit_ex(c.get(), EVP_sha256(), nullptr) != 1) evp_failed();
  return c;
}

std::string finish(EVP_MD_CTX* c) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_DigestFinal_ex(c, md, &n) != 1) evp_failed();
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * n);
  for (unsigned i = 0; i < n; ++i) {
    out += hex[md[i] >> 4];
    out += hex[md[i] & 0x0F];
  }
  return out;
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  auto c = start();
  if (EVP_DigestUpdate(c.get(), bytes.data(), bytes.size()) != 1) evp_failed();
  return finish(c.get());
}

file_digest sha256_file(const std::string& path) {
  std::unique_ptr<std::FILE, file_closer> f(std::fopen(path.c_str(), "rb"));
  if (!f) raise("rectify.io.open", "", std::string("cannot read the file: ") + std::strerror(errno), path);
  // fopen succeeds on a directory on Linux and the first read fails with EISDIR; say so plainly.
  struct stat st {};
  if (fstat(fileno(f.get()), &st) == 0 && S_ISDIR(st.st_mode))
    raise("rectify.io.open", "", "cannot read the file: it is a directory", path);
  auto c = start();
  std::vector<char> block(std::size_t{1} << 16);
  file_digest out;
  for (;;) {
    std::size_t n = std::fread(block.data(), 1, block.size(), f.get());
    if (n > 0) {
      if (EVP_DigestUpdate(c.get(), block.data(), n) != 1) evp_failed();
      out.bytes += n;
    }
    if (n < block.size()) {
      if (std::ferror(f.get()))
        raise("rectify.io.open", "", std::string("cannot read the file: ") + std::strerror(errno), path);
      break;
    }
  }
  out.sha256 = finish(c.get());
  return out;
}

bool is_sha256_hex(std::string_view s) noexcept {
  if (s.size() != 64) return false;
  for (char ch : s)
    if (!((ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f'))) return false;
  return true;
}

}  // namespace rectify
