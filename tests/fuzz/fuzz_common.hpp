#pragma once
// Shared by every fuzz target: what counts as a finding. A `rectify::error` is the expected answer
// to bad input, but it must still be a proper one (at least one problem, every code
// `rectify.<area>.<rule>`, a message); any other exception, a broken invariant or a sanitizer
// report is a finding, and findings abort so that libFuzzer (or the replay driver) stops on them.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>
#include <string_view>

#include "rectify/core/error.hpp"

namespace rectify::fuzz {

[[noreturn]] inline void fail(const char* what, const char* file, int line) {
  std::fprintf(stderr, "fuzz: invariant broken at %s:%d: %s\n", file, line, what);
  std::abort();
}

#define RECTIFY_FUZZ_CHECK(cond) ((cond) ? static_cast<void>(0) : ::rectify::fuzz::fail(#cond, __FILE__, __LINE__))

/// An error for bad input must say what is wrong with a stable code; an empty or malformed one is
/// a finding too.
inline void check_error(const rectify::error& e) {
  RECTIFY_FUZZ_CHECK(!e.problems().empty());
  for (const auto& p : e.problems()) {
    RECTIFY_FUZZ_CHECK(p.code.rfind("rectify.", 0) == 0);
    RECTIFY_FUZZ_CHECK(p.code.find('.', 8) != std::string::npos);
    RECTIFY_FUZZ_CHECK(!p.message.empty());
  }
}

/// Runs `f`; returns false when it refused the input with a proper `rectify::error`.
template <class F>
bool accepted(F&& f) {
  try {
    f();
    return true;
  } catch (const rectify::error& e) {
    check_error(e);
    return false;
  }
}

/// The body of every LLVMFuzzerTestOneInput: an exception other than `rectify::error` escaping
/// the library is a finding, reported with its message before aborting.
template <class F>
int run_one(const std::uint8_t* data, std::size_t size, F&& body) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  try {
    accepted([&] { body(text); });
  } catch (const std::exception& e) {
    std::fprintf(stderr, "fuzz: unexpected exception: %s\n", e.what());
    std::abort();
  }
  return 0;
}

/// True when |a - b| is within `rel` of the larger magnitude (and of 1).
inline bool close(double a, double b, double rel) {
  const double scale = std::max({1.0, a < 0 ? -a : a, b < 0 ? -b : b});
  const double d = a - b;
  return (d < 0 ? -d : d) <= rel * scale;
}

}  // namespace rectify::fuzz
