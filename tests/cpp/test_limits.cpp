// Limits of the readers (docs/hardening.md, section limits): JSON nested beyond 512 levels is
// refused with `<family>.too_deep` at file:line:column instead of being built and walked, numbers
// beyond a double are refused, and extreme finite numbers are read exactly.
#include <catch2/catch.hpp>
#include <cmath>
#include <cstddef>
#include <limits>
#include <string>
#include <vector>

#include "rectify/core/error.hpp"
#include "rectify/io/csv.hpp"
#include "rectify/io/ledger_json.hpp"
#include "rectify/io/meeting_rules_json.hpp"
#include "rectify/io/scheme_json.hpp"

namespace {

constexpr std::size_t kMaxDepth = 512;  // the documented limit, stated here independently

// `open` + `depth` '[' ... ']' + `close`.
std::string nested(const std::string& open, std::size_t depth, const std::string& close) {
  return open + std::string(depth, '[') + std::string(depth, ']') + close;
}

std::vector<rectify::problem> problems_of(void (*f)(const std::string&), const std::string& text) {
  try {
    f(text);
  } catch (const rectify::error& e) {
    return e.problems();
  }
  return {};
}

}  // namespace

TEST_CASE("scheme JSON nested beyond the limit is refused at the first bracket too many", "[limits]") {
  for (std::size_t depth : {std::size_t{100000}, std::size_t{1000000}}) {
    // The root object is level 1: the array that opens level 513 is the 512th '['.
    const std::string text = nested(R"({"name":)", depth, "}");
    auto read = rectify::io::parse_scheme(text, "s.json");
    REQUIRE(read.problems.size() == 1);
    const auto& p = read.problems.front();
    CHECK(p.code == "rectify.scheme.too_deep");
    CHECK(p.source == "s.json:1:" + std::to_string(8 + (kMaxDepth - 1) + 1));
    CHECK(p.message.find("512") != std::string::npos);
    CHECK(read.scheme.damaged);
  }
}

TEST_CASE("scheme JSON at exactly the limit is parsed", "[limits]") {
  auto at_limit = rectify::io::parse_scheme(nested(R"({"name":)", kMaxDepth - 1, "}"), "s.json");
  for (const auto& p : at_limit.problems) CHECK(p.code != "rectify.scheme.too_deep");
  auto over = rectify::io::parse_scheme(nested(R"({"name":)", kMaxDepth, "}"), "s.json");
  REQUIRE(over.problems.size() == 1);
  CHECK(over.problems.front().code == "rectify.scheme.too_deep");
}

TEST_CASE("nesting is located across lines and past brackets in strings", "[limits]") {
  std::string text = R"({"name": "[[{{\"[", "x":)";
  text += '\n';
  std::string deep;
  for (std::size_t i = 0; i < 2000; ++i) deep += "{\"a\":\n";
  text += deep + "1" + std::string(2000, '}') + "}";
  auto read = rectify::io::parse_scheme(text, "s.json");
  REQUIRE(read.problems.size() == 1);
  // Level 1 is the root on line 1; the object on line 1 + k is level 1 + k: level 513 on line 513.
  CHECK(read.problems.front().source == "s.json:513:1");
}

TEST_CASE("ledger JSON nested beyond the limit is refused, inside the streamed log too", "[limits]") {
  const std::string text = nested(R"({"log": [{"x": )", 1000000, "}]}");
  auto problems = rectify::io::validate_ledger(text, "l.json");
  REQUIRE(problems.size() == 1);
  CHECK(problems.front().code == "rectify.ledger.too_deep");
  // root, log and the event are 3 levels; the '[' opening level 513 is the 510th.
  CHECK(problems.front().source == "l.json:1:" + std::to_string(15 + (kMaxDepth - 3) + 1));
  auto problems2 =
      problems_of([](const std::string& t) { (void)rectify::io::parse_ledger(t, "l.json"); }, nested("", 5000, ""));
  REQUIRE(problems2.size() == 1);
  CHECK(problems2.front().code == "rectify.ledger.too_deep");
  CHECK(problems2.front().source == "l.json:1:513");
}

TEST_CASE("meeting rules nested beyond the limit are refused", "[limits]") {
  auto problems = problems_of([](const std::string& t) { (void)rectify::io::parse_meeting_rules(t, "r.json"); },
                              nested(R"({"format": "rectify.meeting-rules/1", "types": )", 100000, "}"));
  REQUIRE(problems.size() == 1);
  CHECK(problems.front().code == "rectify.compliance.rules.too_deep");
}

TEST_CASE("JSON numbers beyond a double are refused in schemes and ledgers", "[limits]") {
  for (const std::string& number : {std::string("1e400"), std::string("-1e400"), std::string(400, '9')}) {
    auto read =
        rectify::io::parse_scheme(R"({"format": "rectify.scheme/1", "id": "x", "total": )" + number + "}", "s.json");
    REQUIRE(read.problems.size() == 1);
    CHECK(read.problems.front().code == "rectify.scheme.bad_number");
    CHECK(read.problems.front().source.starts_with("s.json:1:"));
    auto problems = rectify::io::validate_ledger(R"({"id": )" + number + "}", "l.json");
    REQUIRE(problems.size() == 1);
    CHECK(problems.front().code == "rectify.ledger.bad_number");
  }
}

TEST_CASE("CSV cells at the ends of a double", "[limits]") {
  const auto cell = [](const std::string& text) {
    return rectify::io::read_units_csv("unit,x\nu1," + text + "\n", "u.csv").values(0, 0);
  };
  CHECK(cell("-0") == 0.0);
  CHECK(std::signbit(cell("-0")));
  CHECK(cell("5e-324") == std::numeric_limits<double>::denorm_min());
  CHECK(cell("2.2250738585072014e-308") == std::numeric_limits<double>::min());
  CHECK(cell("1.7976931348623157e308") == std::numeric_limits<double>::max());
  CHECK(cell("-1.7976931348623157e308") == std::numeric_limits<double>::lowest());
  for (const std::string& bad : {std::string("1e400"), std::string("1e-400"), std::string(400, '9')}) {
    try {
      (void)cell(bad);
      FAIL("accepted " << bad);
    } catch (const rectify::error& e) {
      CHECK(e.code() == "rectify.data.bad_cell");
      CHECK(e.problems().front().source == "u.csv:2:2");
    }
  }
}

TEST_CASE("a cell of 10 MB is reported cut short", "[limits]") {
  const std::string text = "unit,x\nu1," + std::string(10'000'000, '7') + "\n";
  try {
    (void)rectify::io::read_units_csv(text, "u.csv");
    FAIL("accepted");
  } catch (const rectify::error& e) {
    CHECK(e.code() == "rectify.data.bad_cell");
    CHECK(std::string(e.what()).size() < 300);
  }
}
