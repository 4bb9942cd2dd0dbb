#pragma once
/// Reading `rectify.scheme/1` JSON into the scheme model. The only place (with the other io/
/// files) that includes nlohmann/json.
#include <string>
#include <string_view>
#include <vector>

#include "rectify/assess/scheme.hpp"
#include "rectify/core/error.hpp"

namespace rectify::io {

/// The result of reading a scheme: the model as far as it could be read, and the syntax and
/// structure problems (wrong types, unknown or duplicate keys, required keys absent).
struct scheme_read {
  assess::scheme scheme;
  std::vector<problem> problems;
};

/// Reads scheme JSON; never throws. `source` (a file name) is put on every problem.
[[nodiscard]] scheme_read parse_scheme(std::string_view text, std::string_view source = {});

/// Every problem of a scheme text: syntax, structure, then the semantic rules of `validate`.
[[nodiscard]] std::vector<problem> check_scheme(std::string_view text, std::string_view source = {});

/// Reads and validates; throws `rectify::error` carrying every problem.
///
///   auto s = rectify::io::load_scheme_file("examples/data/scheme.json");
[[nodiscard]] assess::scheme load_scheme(std::string_view text, std::string_view source = {});
[[nodiscard]] assess::scheme load_scheme_file(const std::string& path);

/// The whole file as bytes; throws `rectify.io.open` naming the file and the reason.
[[nodiscard]] std::string read_file(const std::string& path);

}  // namespace rectify::io
