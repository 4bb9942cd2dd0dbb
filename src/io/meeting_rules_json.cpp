#include "rectify/io/meeting_rules_json.hpp"

#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "json_text.hpp"
#include "rectify/io/csv.hpp"
#include "rectify/io/scheme_json.hpp"

namespace rectify::io {

namespace {

using json = nlohmann::json;
using detail::describe;
using detail::edit_distance;
namespace cm = rectify::compliance;

constexpr std::string_view kFormat = "rectify.meeting-rules/1";
constexpr std::string_view kFamily = "rectify.compliance.rules";
constexpr std::int64_t kMaxAtLeast = 31;  // more than a meeting a day is a typo

const std::string code_bad_number = "rectify.compliance.rules.bad_number";
const std::string code_missing = "rectify.compliance.rules.missing_key";
const std::string code_type = "rectify.compliance.rules.bad_type";
const std::string code_value = "rectify.compliance.rules.bad_value";
const std::string code_format = "rectify.compliance.rules.bad_format";
const std::string code_dup_type = "rectify.compliance.rules.duplicate_type";
const std::string code_dup_name = "rectify.compliance.rules.duplicate_name";

std::string lower_ascii(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool valid_id(std::string_view s) noexcept {
  if (s.empty() || s.front() < 'a' || s.front() > 'z') return false;
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_'; });
}

constexpr cm::cadence cadences[] = {cm::cadence::month, cm::cadence::quarter, cm::cadence::year};
constexpr cm::quorum_rule quorums[] = {cm::quorum_rule::none, cm::quorum_rule::majority, cm::quorum_rule::two_thirds,
                                       cm::quorum_rule::four_fifths};

// "month, quarter or year": the allowed values of an enumeration, for a message.
template <class E, std::size_t N>
std::string choices(const E (&all)[N]) {
  std::string s;
  for (std::size_t i = 0; i < N; ++i) {
    if (i > 0) s += i + 1 == N ? " or " : ", ";
    s += cm::name(all[i]);
  }
  return s;
}

std::string field_choices() {
  std::string s;
  for (std::size_t i = 0; i < cm::record_field_count; ++i) {
    if (i > 0) s += i + 1 == cm::record_field_count ? " or " : ", ";
    s += cm::name(static_cast<cm::record_field>(i));
  }
  return s;
}

std::vector<cm::record_field> every_field() {
  std::vector<cm::record_field> all;
  for (std::size_t i = 0; i < cm::record_field_count; ++i) all.push_back(static_cast<cm::record_field>(i));
  return all;
}

// A name by which records may call a type, where it was written (a JSON pointer; empty for a
// default type the file does not mention), and whether it is the id (compared ignoring ASCII
// case, as `find` compares ids).
struct type_name {
  std::string text;
  bool is_id = false;
  std::string path;
};

// One type of the result, with what is needed to report clashes between types.
struct entry {
  cm::meeting_rule rule;
  std::ptrdiff_t index = -1;  // its entry in /types, or -1 for a default type the file leaves alone
  std::string name_path, aliases_path;
};

class reader : public detail::json_reader {
 public:
  explicit reader(std::vector<problem>& out) : json_reader(out, kFamily) {}

  cm::meeting_rules read(const json& doc);

 private:
  const json* lookup(const json& j, std::string_view key, const std::string& path, bool required) {
    const auto it = j.find(key);
    if (it != j.end()) return &*it;
    if (required) add(code_missing, path, "missing required key " + rectify::quoted(key));
    return nullptr;
  }

  // A string member; nothing when absent or not a string (reported).
  std::optional<std::string> string(const json& j, std::string_view key, const std::string& path, bool required) {
    const json* v = lookup(j, key, path, required);
    if (!v) return std::nullopt;
    if (!v->is_string()) {
      add(code_type, pointer_append(path, key), "must be a string, not " + describe(*v));
      return std::nullopt;
    }
    return v->get<std::string>();
  }

  // A name or alias: a string, trimmed, not empty.
  std::optional<std::string> name_text(const json& v, const std::string& path) {
    if (!v.is_string()) {
      add(code_type, path, "must be a string, not " + describe(v));
      return std::nullopt;
    }
    const std::string_view t = cm::meeting_rules::trim(v.get_ref<const std::string&>());
    if (t.empty()) {
      add(code_value, path, "must not be empty");
      return std::nullopt;
    }
    return std::string(t);
  }

  // An enumeration member: one of `all` by its name.
  template <class E, std::size_t N>
  std::optional<E> choice(const json& j, std::string_view key, const std::string& path, const E (&all)[N],
                          std::string_view what, bool required = false) {
    const auto s = string(j, key, path, required);
    if (!s) return std::nullopt;
    for (const E e : all)
      if (cm::name(e) == *s) return e;
    add(code_value, pointer_append(path, key),
        "unknown " + std::string(what) + " " + rectify::quoted(*s) + " (" + choices(all) + ")");
    return std::nullopt;
  }

  void read_type(const json& j, const std::string& path, entry& e, bool fresh);
};

void reader::read_type(const json& j, const std::string& path, entry& e, bool fresh) {
  cm::meeting_rule& r = e.rule;
  if (const json* v = lookup(j, "name", path, fresh)) {
    e.name_path = pointer_append(path, "name");
    if (auto s = name_text(*v, e.name_path)) r.name_zh = std::move(*s);
  }
  if (const json* v = lookup(j, "aliases", path, false)) {
    e.aliases_path = pointer_append(path, "aliases");
    if (v->is_array()) {
      // Given aliases replace the default's: a list is the whole list.
      r.aliases.clear();
      for (std::size_t i = 0; i < v->size(); ++i)
        if (auto s = name_text((*v)[i], pointer_append(e.aliases_path, i))) r.aliases.push_back(std::move(*s));
    } else {
      add(code_type, e.aliases_path, "must be an array of strings, not " + describe(*v));
    }
  }
  if (const json* v = lookup(j, "at_least", path, false)) {
    const std::string p = pointer_append(path, "at_least");
    if (v->is_number_integer()) {
      const bool too_big =
          v->is_number_unsigned() ? v->get<std::uint64_t>() > kMaxAtLeast : v->get<std::int64_t>() > kMaxAtLeast;
      if (too_big || v->get<std::int64_t>() < 0)
        add(code_value, p,
            "must be a whole number from 0 (not required) to " + std::to_string(kMaxAtLeast) + ", not " + v->dump());
      else
        r.at_least = v->get<std::int64_t>();
    } else if (v->is_number_float()) {
      add(code_type, p, "must be a whole number, not " + number_text(v->get<double>()));
    } else {
      add(code_type, p, "must be a whole number, not " + describe(*v));
    }
  }
  if (auto c = choice(j, "per", path, cadences, "cadence", fresh)) r.per = *c;
  if (auto s = string(j, "scope", path, false)) {
    if (*s == "branch" || *s == "group")
      r.per_group = *s == "group";
    else
      add(code_value, pointer_append(path, "scope"), "unknown scope " + rectify::quoted(*s) + " (branch or group)");
  }
  if (auto q = choice(j, "quorum", path, quorums, "quorum rule")) r.quorum = *q;
  if (const json* v = lookup(j, "complete", path, false)) {
    const std::string p = pointer_append(path, "complete");
    if (v->is_array()) {
      std::vector<cm::record_field> fields;
      bool ok = true;
      for (std::size_t i = 0; i < v->size(); ++i) {
        const json& f = (*v)[i];
        const std::string fp = pointer_append(p, i);
        if (!f.is_string()) {
          add(code_type, fp, "must be a string, not " + describe(f));
          ok = false;
          continue;
        }
        const auto& s = f.get_ref<const std::string&>();
        const auto field = cm::parse_record_field(s);
        if (!field) {
          add(code_value, fp, "unknown record field " + rectify::quoted(s) + " (" + field_choices() + ")");
          ok = false;
        } else if (std::find(fields.begin(), fields.end(), *field) != fields.end()) {
          add(code_value, fp, "the field " + rectify::quoted(s) + " is listed twice");
          ok = false;
        } else {
          fields.push_back(*field);
        }
      }
      if (ok) r.complete = std::move(fields);
    } else {
      add(code_type, p, "must be an array of record field names, not " + describe(*v));
    }
  }
}

cm::meeting_rules reader::read(const json& doc) {
  cm::meeting_rules out;
  if (!doc.is_object()) {
    add(code_type, "", "the rules must be an object, not " + describe(doc));
    return out;
  }
  keys(doc, "", {"format", "base", "source", "types"});
  if (const json* f = lookup(doc, "format", "", true)) {
    if (!f->is_string())
      add(code_type, "/format", "must be the string \"rectify.meeting-rules/1\", not " + describe(*f));
    else if (f->get_ref<const std::string&>() != kFormat)
      add(code_format, "/format",
          "must be \"rectify.meeting-rules/1\", not " + rectify::quoted(f->get_ref<const std::string&>()));
  }
  bool from_default = true;
  if (auto b = string(doc, "base", "", false)) {
    if (*b == "none")
      from_default = false;
    else if (*b != "default")
      add(code_value, "/base", "unknown base " + rectify::quoted(*b) + " (default or none)");
  }
  std::vector<entry> entries;
  if (from_default) {
    cm::meeting_rules d = cm::default_meeting_rules();
    out.source = std::move(d.source);
    for (auto& r : d.types) entries.push_back(entry{std::move(r), -1, {}, {}});
  }
  if (auto s = string(doc, "source", "", false)) out.source = std::move(*s);

  const json* types = lookup(doc, "types", "", true);
  if (types && !types->is_array()) {
    add(code_type, "/types", "must be an array of meeting types, not " + describe(*types));
    types = nullptr;
  }
  if (types && types->empty() && !from_default)
    add(code_value, "/types", "must not be empty: with \"base\": \"none\" the types are the whole table");
  const std::size_t defaults = entries.size();
  std::vector<std::pair<std::string, std::string>> seen;  // id, where it was given
  for (std::size_t i = 0; types && i < types->size(); ++i) {
    const json& t = (*types)[i];
    const std::string path = pointer_append("/types", i);
    if (!t.is_object()) {
      add(code_type, path, "a meeting type must be an object, not " + describe(t));
      continue;
    }
    keys(t, path, {"id", "name", "aliases", "at_least", "per", "scope", "quorum", "complete"});
    auto id = string(t, "id", path, true);
    if (!id) continue;
    const std::string id_path = pointer_append(path, "id");
    if (!valid_id(*id)) {
      add(code_value, id_path,
          rectify::quoted(*id) +
              " is not an id: a lowercase letter, then lowercase letters, digits and _ (\"safety_study\")");
      continue;
    }
    const auto dup = std::find_if(seen.begin(), seen.end(), [&](const auto& s) { return s.first == *id; });
    if (dup != seen.end()) {
      add(code_dup_type, id_path, "the type " + rectify::quoted(*id) + " is already given at " + dup->second);
      continue;
    }
    seen.emplace_back(*id, path);
    const auto base = std::find_if(entries.begin(), entries.begin() + static_cast<std::ptrdiff_t>(defaults),
                                   [&](const entry& e) { return e.rule.id == *id; });
    entry* e = nullptr;
    bool fresh = base == entries.begin() + static_cast<std::ptrdiff_t>(defaults);
    if (fresh) {
      // A type of one's own; with the default base, an id close to a default one is more
      // likely a typo than a new type.
      if (from_default && (!t.contains("name") || !t.contains("per"))) {
        std::string_view best;
        std::size_t best_d = 3;
        for (std::size_t k = 0; k < defaults; ++k) {
          const std::size_t d = edit_distance(*id, entries[k].rule.id);
          if (d < best_d) best_d = d, best = entries[k].rule.id;
        }
        if (!best.empty())
          add(code_value, id_path,
              rectify::quoted(*id) + " is not a default type (did you mean " + rectify::quoted(best) +
                  "?); a new type needs \"name\" and \"per\"");
      }
      cm::meeting_rule r;
      r.id = *id;
      r.complete = every_field();
      entries.push_back(entry{std::move(r), static_cast<std::ptrdiff_t>(i), {}, {}});
      e = &entries.back();
    } else {
      e = &*base;
      e->index = static_cast<std::ptrdiff_t>(i);
    }
    read_type(t, path, *e, fresh);
  }

  // Two types that a record could name alike: `find` would take the first, silently.
  std::vector<std::pair<type_name, std::size_t>> names;  // with the entry they belong to
  for (std::size_t k = 0; k < entries.size(); ++k) {
    const entry& e = entries[k];
    const std::string entry_path =
        e.index < 0 ? std::string() : pointer_append("/types", static_cast<std::size_t>(e.index));
    std::vector<type_name> mine;
    mine.push_back({e.rule.id, true, e.index < 0 ? std::string() : entry_path + "/id"});
    if (!e.rule.name_zh.empty())
      mine.push_back({e.rule.name_zh, false, e.name_path.empty() ? entry_path : e.name_path});
    for (std::size_t a = 0; a < e.rule.aliases.size(); ++a)
      mine.push_back(
          {e.rule.aliases[a], false, e.aliases_path.empty() ? entry_path : pointer_append(e.aliases_path, a)});
    for (const type_name& n : mine) {
      for (const auto& [other, j] : names) {
        if (j == k) continue;
        const bool clash =
            (n.is_id || other.is_id) ? lower_ascii(n.text) == lower_ascii(other.text) : n.text == other.text;
        if (!clash) continue;
        // Said where the later of the two entries gives it (the earlier may be a default type).
        const entry& o = entries[j];
        const bool here = e.index >= o.index;
        const type_name& at = here ? n : other;
        const entry& owner = here ? o : e;
        const type_name& theirs = here ? other : n;
        std::string msg = rectify::quoted(at.text) + " would also name the type " + rectify::quoted(owner.rule.id);
        if (theirs.is_id || at.is_id) msg += " (ids are compared ignoring case)";
        msg += ": records could not tell them apart";
        add(code_dup_name, at.path, std::move(msg));
        break;
      }
    }
    for (type_name& n : mine) names.emplace_back(std::move(n), k);
  }

  out.types.reserve(entries.size());
  for (auto& e : entries) out.types.push_back(std::move(e.rule));
  return out;
}

// The problems of `text` as a rules file, and the rules (meaningful only without problems).
cm::meeting_rules read_rules(std::string_view text, std::string_view source, std::vector<problem>& problems) {
  cm::meeting_rules rules;
  const auto parsed = detail::parse_json_text(text, source, kFamily, "a meeting-rules file", "<rules>", problems);
  if (parsed.status == detail::json_text_status::ok) {
    reader rd(problems);
    rules = rd.read(parsed.doc);
  }
  for (auto& p : problems) {
    // A number beyond a double (1e400) is a value no key takes: one code fewer to document.
    if (p.code == code_bad_number) p.code = code_value;
    if (p.source.empty()) p.source = std::string(source);
  }
  return rules;
}

}  // namespace

cm::meeting_rules parse_meeting_rules(std::string_view text, std::string_view source) {
  std::vector<problem> problems;
  auto rules = read_rules(text, source, problems);
  if (!problems.empty()) raise(std::move(problems));
  return rules;
}

cm::meeting_rules load_meeting_rules(const std::string& path) {
  return parse_meeting_rules(read_file(path), path);
}

std::string dump_meeting_rules(const cm::meeting_rules& rules) {
  using ojson = nlohmann::ordered_json;
  ojson doc;
  doc["format"] = kFormat;
  doc["base"] = "none";
  doc["source"] = rules.source;
  ojson types = ojson::array();
  for (const cm::meeting_rule& r : rules.types) {
    ojson t;
    t["id"] = r.id;
    t["name"] = r.name_zh;
    t["aliases"] = r.aliases;
    t["at_least"] = r.at_least;
    t["per"] = cm::name(r.per);
    t["scope"] = r.per_group ? "group" : "branch";
    t["quorum"] = cm::name(r.quorum);
    ojson complete = ojson::array();
    for (const cm::record_field f : r.complete) complete.push_back(cm::name(f));
    t["complete"] = std::move(complete);
    types.push_back(std::move(t));
  }
  doc["types"] = std::move(types);
  try {
    return doc.dump(2) + "\n";
  } catch (const nlohmann::json::type_error&) {
    // Only text that is not UTF-8 makes dump fail; a rules file is UTF-8 JSON.
    raise(code_value, "", "a name, alias or source is not valid UTF-8 text; a rules file holds UTF-8 only");
  }
}

}  // namespace rectify::io
