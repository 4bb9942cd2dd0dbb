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

// Verifying a ledger hashes every event: a context made, initialised (in OpenSSL 3 a provider
// lookup) and freed per call costs more than hashing a few hundred bytes. So each thread keeps
// one context and the SHA-256 implementation fetched once, and re-initialises it per digest.
struct reusable {
  EVP_MD* md = nullptr;
  ctx_ptr ctx;
  reusable() : md(EVP_MD_fetch(nullptr, "SHA256", nullptr)), ctx(EVP_MD_CTX_new()) {}
  ~reusable() { EVP_MD_free(md); }
  reusable(const reusable&) = delete;
  reusable& operator=(const reusable&) = delete;
};

std::string finish(EVP_MD_CTX* c) {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_DigestFinal_ex(c, md, &n) != 1) evp_failed();
  static constexpr char hex[] = "0123456789abcdef";
  std::string out(2 * std::size_t{n}, '0');
  for (std::size_t i = 0; i < n; ++i) {
    out[2 * i] = hex[md[i] >> 4];
    out[2 * i + 1] = hex[md[i] & 0x0F];
  }
  return out;
}

}  // namespace

std::string sha256_hex(std::string_view bytes) {
  thread_local reusable r;
  if (!r.md || !r.ctx || EVP_DigestInit_ex(r.ctx.get(), r.md, nullptr) != 1) evp_failed();
  if (EVP_DigestUpdate(r.ctx.get(), bytes.data(), bytes.size()) != 1) evp_failed();
  return finish(r.ctx.get());
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
  // Checked for every prev, hash and evidence digest of a log: no branch per character, so
  // the loop vectorises.
  bool ok = true;
  for (char ch : s) {
    const auto c = static_cast<unsigned char>(ch);
    ok &= (c >= '0' && c <= '9') | (c >= 'a' && c <= 'f');
  }
  return ok;
}

}  // namespace rectify
