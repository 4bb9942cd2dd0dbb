#include "rectify/io/meeting_rules_json.hpp"

#include <catch2/catch.hpp>
#include <string>
#include <string_view>
#include <vector>

#include "rectify/compliance/meetings.hpp"
#include "rectify/core/error.hpp"

using rectify::io::dump_meeting_rules;
using rectify::io::load_meeting_rules;
using rectify::io::parse_meeting_rules;
namespace cm = rectify::compliance;

namespace {

const std::string kData = std::string(RECTIFY_TEST_DATA) + "/compliance/rules/";

cm::meeting_rules parse(std::string_view text) {
  return parse_meeting_rules(text, "rules.json");
}

// A rules file with this `types` array (and the default base).
std::string with_types(std::string_view types) {
  std::string s = R"({"format": "rectify.meeting-rules/1", "types": )";
  s += types;
  s += '}';
  return s;
}

// Every problem of the error that parsing `text` throws.
std::vector<rectify::problem> problems_of(std::string_view text) {
  try {
    (void)parse(text);
  } catch (const rectify::error& e) {
    return e.problems();
  }
  return {};
}

// The problems parsing `text` throws, as `problem::str` shows them, one per line.
std::string error_of(std::string_view text) {
  const auto ps = problems_of(text);
  if (ps.empty()) return "<no error>";
  std::string s;
  for (const auto& p : ps) {
    if (!s.empty()) s += '\n';
    s += p.str();
  }
  return s;
}

void check_same(const cm::meeting_rule& a, const cm::meeting_rule& b) {
  CHECK(a.id == b.id);
  CHECK(a.name_zh == b.name_zh);
  CHECK(a.aliases == b.aliases);
  CHECK(a.at_least == b.at_least);
  CHECK(a.per == b.per);
  CHECK(a.per_group == b.per_group);
  CHECK(a.quorum == b.quorum);
  CHECK(a.complete == b.complete);
}

void check_same(const cm::meeting_rules& a, const cm::meeting_rules& b) {
  CHECK(a.source == b.source);
  REQUIRE(a.types.size() == b.types.size());
  for (std::size_t i = 0; i < a.types.size(); ++i) check_same(a.types[i], b.types[i]);
}

const std::vector<cm::record_field> every_field = {
    cm::record_field::topic,    cm::record_field::host,    cm::record_field::recorder, cm::record_field::expected,
    cm::record_field::attended, cm::record_field::minutes, cm::record_field::photos,   cm::record_field::signed_};

}  // namespace

TEST_CASE("meeting rules: types given change the default table, key by key", "[rules]") {
  const auto def = cm::default_meeting_rules();
  const auto r = load_meeting_rules(kData + "local.json");
  CHECK(r.source == "本局党建工作考核细则 (2026)");
  // compliance.md §1: the seven default types in the table's order, then the new one.
  REQUIRE(r.types.size() == 8);
  const std::vector<std::string> ids = {"general_meeting", "committee",    "group",         "lecture",
                                        "theme_day",       "life_meeting", "member_review", "safety_study"};
  for (std::size_t i = 0; i < ids.size(); ++i) CHECK(r.types[i].id == ids[i]);
  // lecture: only at_least changes (1 → 2); 党课 stays quarterly without a quorum.
  const auto& lecture = r.types[3];
  CHECK(lecture.at_least == 2);
  CHECK(lecture.name_zh == "党课");
  CHECK(lecture.per == cm::cadence::quarter);
  CHECK(lecture.quorum == cm::quorum_rule::none);
  CHECK(lecture.aliases == def.types[3].aliases);
  CHECK(lecture.complete == every_field);
  for (std::size_t i = 0; i < 7; ++i)
    if (i != 3) check_same(r.types[i], def.types[i]);
  // A new type: at least 1, per branch, no quorum, every field for completeness.
  const auto& safety = r.types[7];
  CHECK(safety.name_zh == "安全学习");
  CHECK(safety.aliases.empty());
  CHECK(safety.at_least == 1);
  CHECK(safety.per == cm::cadence::month);
  CHECK_FALSE(safety.per_group);
  CHECK(safety.quorum == cm::quorum_rule::none);
  CHECK(safety.complete == every_field);
  CHECK(r.find("安全学习") == 7);
  CHECK(r.find(" Safety_Study ") == 7);
}

TEST_CASE("meeting rules: the default base without changes is the default table", "[rules]") {
  const auto def = cm::default_meeting_rules();
  check_same(parse(with_types("[]")), def);
  check_same(parse(R"({"format": "rectify.meeting-rules/1", "base": "default", "types": []})"), def);
}

TEST_CASE("meeting rules: every key of a default type can be changed", "[rules]") {
  const auto r = parse(with_types(R"([{"id": "committee", "name": "支部委员会会议", "aliases": ["支委会", "支委"],
      "at_least": 2, "per": "quarter", "scope": "group", "quorum": "four_fifths", "complete": ["signed", "topic"]}])"));
  const auto& c = r.types[1];
  CHECK(c.id == "committee");
  CHECK(c.name_zh == "支部委员会会议");
  // Aliases given are the whole list: the default's are gone.
  CHECK(c.aliases == std::vector<std::string>{"支委会", "支委"});
  CHECK(c.at_least == 2);
  CHECK(c.per == cm::cadence::quarter);
  CHECK(c.per_group);
  CHECK(c.quorum == cm::quorum_rule::four_fifths);
  CHECK(c.complete == std::vector<cm::record_field>{cm::record_field::signed_, cm::record_field::topic});
  CHECK(r.find("支委") == 1);
  CHECK(r.find("支部委员会") == -1);
  // Names and aliases lose the blanks around them (ASCII and the ideographic space).
  const auto t = parse(with_types(R"([{"id": "lecture", "name": "\u3000党课 ", "aliases": [" 微党课\t"]}])"));
  CHECK(t.types[3].name_zh == "党课");
  CHECK(t.types[3].aliases == std::vector<std::string>{"微党课"});
  // An empty completeness list: every record is complete.
  CHECK(parse(with_types(R"([{"id": "group", "complete": []}])")).types[2].complete.empty());
}

TEST_CASE("meeting rules: at_least 0 keeps the type known but requires none", "[rules]") {
  const auto r = parse(with_types(R"([{"id": "member_review", "at_least": 0}])"));
  REQUIRE(r.types.size() == 7);
  CHECK(r.types[6].at_least == 0);
  CHECK(r.find("民主评议党员") == 6);
}

TEST_CASE("meeting rules: base none makes the types the whole table", "[rules]") {
  const auto r = load_meeting_rules(kData + "own_table.json");
  CHECK(r.source == "某县机关党建工作细则");
  REQUIRE(r.types.size() == 2);
  const auto& c = r.types[0];
  CHECK(c.id == "committee");
  CHECK(c.name_zh == "支委会");
  CHECK(c.aliases == std::vector<std::string>{"支部委员会"});
  CHECK(c.at_least == 1);
  CHECK(c.per == cm::cadence::month);
  CHECK_FALSE(c.per_group);
  CHECK(c.quorum == cm::quorum_rule::two_thirds);
  CHECK(c.complete ==
        std::vector<cm::record_field>{cm::record_field::topic, cm::record_field::attended, cm::record_field::expected});
  const auto& g = r.types[1];
  CHECK(g.id == "group");
  CHECK(g.at_least == 2);
  CHECK(g.per == cm::cadence::quarter);
  CHECK(g.per_group);
  CHECK(g.complete == every_field);
  // Nothing of the default table is left: 党课 is unknown, and so is the default's source.
  CHECK(r.find("党课") == -1);
  CHECK(r.find("支委会会议") == -1);
  // Without a source, the table cites none.
  const auto bare = parse(R"({"format": "rectify.meeting-rules/1", "base": "none",
      "types": [{"id": "lecture", "name": "党课", "per": "year"}]})");
  CHECK(bare.source.empty());
}

TEST_CASE("meeting rules: dump writes a complete file that parses back to the same rules", "[rules]") {
  const auto def = cm::default_meeting_rules();
  const std::string text = dump_meeting_rules(def);
  CHECK(text.rfind("{\n  \"format\": \"rectify.meeting-rules/1\",\n  \"base\": \"none\",\n  \"source\": ", 0) == 0);
  CHECK(text.back() == '\n');
  check_same(parse(text), def);

  cm::meeting_rules own;
  own.source = "细则 \"2026\"";
  cm::meeting_rule t;
  t.id = "safety_study";
  t.name_zh = "安全学习";
  t.aliases = {"安全生产学习"};
  t.at_least = 0;
  t.per = cm::cadence::year;
  t.per_group = true;
  t.quorum = cm::quorum_rule::two_thirds;
  t.complete = {cm::record_field::photos, cm::record_field::host};
  own.types.push_back(t);
  const std::string own_text = dump_meeting_rules(own);
  CHECK(own_text ==
        "{\n"
        "  \"format\": \"rectify.meeting-rules/1\",\n"
        "  \"base\": \"none\",\n"
        "  \"source\": \"细则 \\\"2026\\\"\",\n"
        "  \"types\": [\n"
        "    {\n"
        "      \"id\": \"safety_study\",\n"
        "      \"name\": \"安全学习\",\n"
        "      \"aliases\": [\n"
        "        \"安全生产学习\"\n"
        "      ],\n"
        "      \"at_least\": 0,\n"
        "      \"per\": \"year\",\n"
        "      \"scope\": \"group\",\n"
        "      \"quorum\": \"two_thirds\",\n"
        "      \"complete\": [\n"
        "        \"photos\",\n"
        "        \"host\"\n"
        "      ]\n"
        "    }\n"
        "  ]\n"
        "}\n");
  check_same(parse(own_text), own);
  // And the changed tables of the fixture files.
  for (const char* f : {"local.json", "own_table.json"}) {
    const auto r = load_meeting_rules(kData + f);
    check_same(parse(dump_meeting_rules(r)), r);
  }
}

TEST_CASE("meeting rules: syntax errors name line and column, duplicate keys their pointer", "[rules]") {
  // Line 2 is ` "types": [}`: the `}` is its 12th character.
  const auto ps = problems_of("{\"format\": \"rectify.meeting-rules/1\",\n \"types\": [}");
  REQUIRE(ps.size() == 1);
  CHECK(ps[0].code == "rectify.compliance.rules.syntax");
  CHECK(ps[0].source == "rules.json:2:12");
  CHECK(ps[0].message.find("syntax error") != std::string::npos);
  CHECK(problems_of("")[0].str() ==
        "rules.json: [rectify.compliance.rules.syntax] the file is empty; expected a JSON object");
  CHECK(error_of(R"({"format": "rectify.meeting-rules/1", "types": [], "types": []})") ==
        "rules.json: [rectify.compliance.rules.duplicate_key] /types: the key \"types\" appears twice in one object");
  CHECK(error_of(with_types(R"([{"id": "lecture", "at_least": 1, "at_least": 2}])")) ==
        "rules.json: [rectify.compliance.rules.duplicate_key] /types/0/at_least: the key \"at_least\" appears twice "
        "in one object");
  // A number beyond a double is a bad value, placed (as the shared JSON reader places numbers)
  // at its last character: 1e400 spans columns 79-83 of line 1.
  const auto big = problems_of(with_types(R"([{"id": "lecture", "at_least": 1e400}])"));
  REQUIRE(big.size() == 1);
  CHECK(big[0].code == "rectify.compliance.rules.bad_value");
  CHECK(big[0].str() ==
        "rules.json:1:83: [rectify.compliance.rules.bad_value] number 1e400 is out of the range of a double (numbers "
        "must be finite)");
}

TEST_CASE("meeting rules: unknown keys say what was meant", "[rules]") {
  CHECK(error_of(with_types(R"([{"id": "lecture", "at_leest": 2}])")) ==
        "rules.json: [rectify.compliance.rules.unknown_key] /types/0/at_leest: unknown key \"at_leest\" (did you mean "
        "\"at_least\"?)");
  CHECK(error_of(R"({"format": "rectify.meeting-rules/1", "type": []})") ==
        "rules.json: [rectify.compliance.rules.unknown_key] /type: unknown key \"type\" (did you mean \"types\"?)\n"
        "rules.json: [rectify.compliance.rules.missing_key] missing required key \"types\"");
}

TEST_CASE("meeting rules: missing keys, and the format", "[rules]") {
  CHECK(error_of(R"({"types": []})") ==
        "rules.json: [rectify.compliance.rules.missing_key] missing required key \"format\"");
  CHECK(error_of(R"({"format": "rectify.meeting-rules/2", "types": []})") ==
        "rules.json: [rectify.compliance.rules.bad_format] /format: must be \"rectify.meeting-rules/1\", not "
        "\"rectify.meeting-rules/2\"");
  CHECK(error_of(with_types(R"([{"name": "党课"}])")) ==
        "rules.json: [rectify.compliance.rules.missing_key] /types/0: missing required key \"id\"");
  // A new type needs a name and a cadence; with base none every type is new.
  const auto ps = problems_of(with_types(R"([{"id": "safety_study"}])"));
  REQUIRE(ps.size() == 2);
  CHECK(ps[0].str() == "rules.json: [rectify.compliance.rules.missing_key] /types/0: missing required key \"name\"");
  CHECK(ps[1].str() == "rules.json: [rectify.compliance.rules.missing_key] /types/0: missing required key \"per\"");
  CHECK(error_of(
            R"({"format": "rectify.meeting-rules/1", "base": "none", "types": [{"id": "lecture", "per": "year"}]})") ==
        "rules.json: [rectify.compliance.rules.missing_key] /types/0: missing required key \"name\"");
  // An id close to a default one is probably a typo, and said so.
  const auto typo = problems_of(with_types(R"([{"id": "lectrue", "at_least": 2}])"));
  REQUIRE(typo.size() == 3);
  CHECK(typo[0].str() ==
        "rules.json: [rectify.compliance.rules.bad_value] /types/0/id: \"lectrue\" is not a default type (did you "
        "mean \"lecture\"?); a new type needs \"name\" and \"per\"");
}

TEST_CASE("meeting rules: values of the wrong JSON type", "[rules]") {
  CHECK(error_of("[]") == "rules.json: [rectify.compliance.rules.bad_type] the rules must be an object, not an array");
  CHECK(error_of(R"({"format": 1, "types": []})") ==
        "rules.json: [rectify.compliance.rules.bad_type] /format: must be the string \"rectify.meeting-rules/1\", "
        "not a number");
  CHECK(error_of(R"({"format": "rectify.meeting-rules/1", "types": {}})") ==
        "rules.json: [rectify.compliance.rules.bad_type] /types: must be an array of meeting types, not an object");
  CHECK(error_of(with_types(R"(["lecture"])")) ==
        "rules.json: [rectify.compliance.rules.bad_type] /types/0: a meeting type must be an object, not a string");
  CHECK(error_of(with_types(R"([{"id": "lecture", "at_least": "2"}])")) ==
        "rules.json: [rectify.compliance.rules.bad_type] /types/0/at_least: must be a whole number, not a string");
  CHECK(error_of(with_types(R"([{"id": "lecture", "at_least": 2.5}])")) ==
        "rules.json: [rectify.compliance.rules.bad_type] /types/0/at_least: must be a whole number, not 2.5");
  CHECK(error_of(with_types(R"([{"id": "lecture", "aliases": "微党课"}])")) ==
        "rules.json: [rectify.compliance.rules.bad_type] /types/0/aliases: must be an array of strings, not a string");
  CHECK(error_of(with_types(R"([{"id": "lecture", "aliases": ["a", 3]}])")) ==
        "rules.json: [rectify.compliance.rules.bad_type] /types/0/aliases/1: must be a string, not a number");
  CHECK(error_of(with_types(R"([{"id": "lecture", "complete": "topic"}])")) ==
        "rules.json: [rectify.compliance.rules.bad_type] /types/0/complete: must be an array of record field names, "
        "not a string");
  CHECK(error_of(with_types(R"([{"id": "lecture", "per": null}])")) ==
        "rules.json: [rectify.compliance.rules.bad_type] /types/0/per: must be a string, not null");
  CHECK(error_of(with_types(R"([{"id": 7}])")) ==
        "rules.json: [rectify.compliance.rules.bad_type] /types/0/id: must be a string, not a number");
  CHECK(error_of(R"({"format": "rectify.meeting-rules/1", "source": ["a"], "types": []})") ==
        "rules.json: [rectify.compliance.rules.bad_type] /source: must be a string, not an array");
}

TEST_CASE("meeting rules: values outside what a key takes", "[rules]") {
  const std::string head = "rules.json: [rectify.compliance.rules.bad_value] ";
  CHECK(error_of(with_types(R"([{"id": "lecture", "per": "weekly"}])")) ==
        head + "/types/0/per: unknown cadence \"weekly\" (month, quarter or year)");
  CHECK(error_of(with_types(R"([{"id": "lecture", "scope": "unit"}])")) ==
        head + "/types/0/scope: unknown scope \"unit\" (branch or group)");
  CHECK(error_of(with_types(R"([{"id": "lecture", "quorum": "half"}])")) ==
        head + "/types/0/quorum: unknown quorum rule \"half\" (none, majority, two_thirds or four_fifths)");
  CHECK(error_of(with_types(R"([{"id": "lecture", "complete": ["topic", "photo"]}])")) ==
        head +
            "/types/0/complete/1: unknown record field \"photo\" (topic, host, recorder, expected, attended, minutes, "
            "photos or signed)");
  CHECK(error_of(with_types(R"([{"id": "lecture", "complete": ["topic", "topic"]}])")) ==
        head + "/types/0/complete/1: the field \"topic\" is listed twice");
  CHECK(error_of(with_types(R"([{"id": "lecture", "at_least": 32}])")) ==
        head + "/types/0/at_least: must be a whole number from 0 (not required) to 31, not 32");
  CHECK(error_of(with_types(R"([{"id": "lecture", "at_least": -1}])")) ==
        head + "/types/0/at_least: must be a whole number from 0 (not required) to 31, not -1");
  CHECK(error_of(with_types(R"([{"id": "lecture", "at_least": 18446744073709551615}])")) ==
        head + "/types/0/at_least: must be a whole number from 0 (not required) to 31, not 18446744073709551615");
  CHECK(error_of(with_types(R"([{"id": "Safety-Study", "name": "安全学习", "per": "month"}])")) ==
        head +
            "/types/0/id: \"Safety-Study\" is not an id: a lowercase letter, then lowercase letters, digits and _ "
            "(\"safety_study\")");
  CHECK(error_of(with_types(R"([{"id": "lecture", "name": " \u3000 "}])")) ==
        head + "/types/0/name: must not be empty");
  CHECK(error_of(with_types(R"([{"id": "lecture", "aliases": [""]}])")) ==
        head + "/types/0/aliases/0: must not be empty");
  CHECK(error_of(R"({"format": "rectify.meeting-rules/1", "base": "all", "types": []})") ==
        head + "/base: unknown base \"all\" (default or none)");
  CHECK(error_of(R"({"format": "rectify.meeting-rules/1", "base": "none", "types": []})") ==
        head + "/types: must not be empty: with \"base\": \"none\" the types are the whole table");
}

TEST_CASE("meeting rules: a type twice, and names two types share", "[rules]") {
  CHECK(error_of(with_types(R"([{"id": "lecture", "at_least": 2}, {"id": "lecture", "per": "month"}])")) ==
        "rules.json: [rectify.compliance.rules.duplicate_type] /types/1/id: the type \"lecture\" is already given at "
        "/types/0");
  const std::string head = "rules.json: [rectify.compliance.rules.duplicate_name] ";
  // A new type named like a default one.
  CHECK(error_of(with_types(R"([{"id": "party_lecture", "name": "党课", "per": "quarter"}])")) ==
        head + "/types/0/name: \"党课\" would also name the type \"lecture\": records could not tell them apart");
  // A default alias given to another default type.
  CHECK(error_of(with_types(R"([{"id": "theme_day", "aliases": ["专题党课"]}])")) ==
        head +
            "/types/0/aliases/0: \"专题党课\" would also name the type \"lecture\": records could not tell them "
            "apart");
  // An alias that is another type's id but for case: find ignores the case of ids.
  CHECK(error_of(with_types(R"([{"id": "theme_day", "aliases": ["Lecture"]}])")) ==
        head +
            "/types/0/aliases/0: \"Lecture\" would also name the type \"lecture\" (ids are compared ignoring "
            "case): records could not tell them apart");
  // Two new types, with base none: said at the later one.
  CHECK(error_of(R"({"format": "rectify.meeting-rules/1", "base": "none", "types": [
      {"id": "a", "name": "学习", "per": "month"}, {"id": "b", "name": "安全", "aliases": ["学习"], "per": "month"}]})") ==
        head + "/types/1/aliases/0: \"学习\" would also name the type \"a\": records could not tell them apart");
  // A renamed default type may take a name its own aliases already hold.
  CHECK(parse(with_types(R"([{"id": "lecture", "name": "专题党课"}])")).types[3].name_zh == "专题党课");
  // Renaming a default type frees its old name for another.
  const auto r = parse(with_types(
      R"([{"id": "lecture", "name": "党课学习", "aliases": []}, {"id": "mini", "name": "党课", "per": "month"}])"));
  CHECK(r.find("党课") == 7);
}

TEST_CASE("meeting rules: every problem of a file at once, naming the file", "[rules]") {
  const std::string path = kData + "many_problems.json";
  try {
    (void)load_meeting_rules(path);
    FAIL("no error");
  } catch (const rectify::error& e) {
    REQUIRE(e.problems().size() == 3);
    const std::string head = path + ": [rectify.compliance.rules.";
    CHECK(e.problems()[0].str() ==
          head + "unknown_key] /types/0/at_leest: unknown key \"at_leest\" (did you mean \"at_least\"?)");
    CHECK(e.problems()[1].str() ==
          head + "bad_value] /types/1/per: unknown cadence \"weekly\" (month, quarter or year)");
    CHECK(e.problems()[2].str() ==
          head + "duplicate_type] /types/2/id: the type \"lecture\" is already given at /types/0");
  }
  try {
    (void)load_meeting_rules(kData + "no_such_file.json");
    FAIL("no error");
  } catch (const rectify::error& e) {
    CHECK(e.code() == "rectify.io.open");
  }
}
