#pragma once
/// Errors of every module: a stable code, the place (a file and a JSON pointer, or
/// file:line:column) and the rule that was broken.
///
///   [rectify.scheme.bad_rule] /indicators/0/children/2/rule/best: must differ from worst
///   scheme.json: [rectify.scheme.bad_rule] /indicators/0/children/2/rule/best: must differ ...
///   units.csv:4:7: [rectify.data.bad_cell] column "records_incomplete": "3x" is not a number
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace rectify {

/// One thing wrong with an input. `source` names the file, optionally with `:line:column`;
/// `path` is a JSON pointer into that file (empty for CSV and data errors).
struct problem {
  std::string code;
  std::string path;
  std::string message;
  std::string source;

  /// `source: [code] path: message`, leaving out the parts that are empty.
  [[nodiscard]] std::string str() const;
  friend bool operator==(const problem&, const problem&) = default;
};

/// The one exception type the library throws. It carries every problem found (at least one);
/// `what()` lists them one per line.
class error : public std::runtime_error {
 public:
  explicit error(problem p);
  explicit error(std::vector<problem> ps);

  [[nodiscard]] const std::string& code() const noexcept { return problems_.front().code; }
  [[nodiscard]] const std::string& path() const noexcept { return problems_.front().path; }
  [[nodiscard]] const std::vector<problem>& problems() const noexcept { return problems_; }

 private:
  std::vector<problem> problems_;
};

/// The choke point every error goes through.
[[noreturn]] void raise(std::string code, std::string path, std::string message, std::string source = {});
[[noreturn]] void raise(std::vector<problem> ps);

/// Appends `key` to a JSON pointer, escaping `~` and `/` as RFC 6901 requires.
[[nodiscard]] std::string pointer_append(std::string_view base, std::string_view key);
[[nodiscard]] std::string pointer_append(std::string_view base, std::size_t index);

/// A number for a message: up to 12 significant digits ("0.5", "-3", "1e-300", "nan").
[[nodiscard]] std::string number_text(double v);

/// A number for people: at most `decimals` places, trailing zeros dropped, no "-0" ("0.5", "3").
[[nodiscard]] std::string decimal_text(double v, int decimals = 4);

/// Quotes a user-supplied string for a message: "name" with control characters escaped.
[[nodiscard]] std::string quoted(std::string_view s);

/// A byte for a message: `0xc3`.
[[nodiscard]] std::string byte_text(unsigned char b);

/// Joins the parts of a message by appending them. Messages are not built with
/// `"literal" + std::string(...)`: GCC 12 at -O3 warns falsely (-Wrestrict) on that temporary.
template <class... Parts>
[[nodiscard]] std::string cat(const Parts&... parts) {
  std::string s;
  (s += ... += parts);
  return s;
}

}  // namespace rectify
