#include "rectify/io/scheme_json.hpp"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "json_text.hpp"

namespace rectify::io {

using json = nlohmann::json;
using assess::count_item;
using assess::node;

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) raise("rectify.io.open", "", std::string("cannot read the file: ") + std::strerror(errno), path);
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) raise("rectify.io.open", "", std::string("cannot read the file: ") + std::strerror(errno), path);
  return std::move(ss).str();
}

namespace {

using detail::describe;

// Walks the document once, collecting every structural problem. Values of the wrong type are
// left unset and the entity holding them is marked damaged.
class reader : public detail::json_reader {
 public:
  explicit reader(std::vector<problem>& out) : json_reader(out, "rectify.scheme") {}

  // The value of `key`, or null when it is absent (a required key's absence is reported and
  // marks damage).
  const json* lookup(const json& j, std::string_view key, const std::string& path, bool required, bool& damaged) {
    auto it = j.find(key);
    if (it != j.end()) return &*it;
    if (required) {
      add("rectify.scheme.missing_key", path, "missing required key " + rectify::quoted(key));
      damaged = true;
    }
    return nullptr;
  }

  // A required or optional string. Returns false (and marks damage) on a wrong type.
  bool string(const json& j, std::string_view key, const std::string& path, std::string& out, bool required,
              bool& damaged) {
    const json* v = lookup(j, key, path, required, damaged);
    if (!v) return false;
    if (!v->is_string()) {
      add("rectify.scheme.type", pointer_append(path, key), "must be a string, not " + describe(*v));
      damaged = true;
      return false;
    }
    out = v->get<std::string>();
    return true;
  }

  bool number(const json& j, std::string_view key, const std::string& path, std::optional<double>& out, bool required,
              bool& damaged) {
    const json* v = lookup(j, key, path, required, damaged);
    if (!v) return false;
    auto d = as_number(*v, pointer_append(path, key));
    if (!d) {
      damaged = true;
      return false;
    }
    out = d;
    return true;
  }

  std::optional<double> as_number(const json& v, const std::string& path) {
    if (!v.is_number()) {
      add("rectify.scheme.type", path, "must be a number, not " + describe(v));
      return std::nullopt;
    }
    double d = v.get<double>();
    if (!std::isfinite(d)) {
      add("rectify.scheme.bad_number", path, "must be a finite number");
      return std::nullopt;
    }
    return d;
  }

  std::optional<std::vector<std::pair<double, double>>> pairs(const json& j, const std::string& path) {
    if (!array(j, path)) return std::nullopt;
    std::vector<std::pair<double, double>> out;
    bool ok = true;
    for (std::size_t i = 0; i < j.size(); ++i) {
      std::string p = pointer_append(path, i);
      const json& e = j[i];
      if (!e.is_array() || e.size() != 2) {
        add("rectify.scheme.type", p,
            "must be a pair [value, fraction], not " +
                (e.is_array() ? "an array of " + std::to_string(e.size()) : describe(e)));
        ok = false;
        continue;
      }
      auto a = as_number(e[0], pointer_append(p, 0));
      auto b = as_number(e[1], pointer_append(p, 1));
      if (!a || !b) {
        ok = false;
        continue;
      }
      out.emplace_back(*a, *b);
    }
    if (!ok) return std::nullopt;
    return out;
  }

  std::optional<assess::rule> rule(const json& j, const std::string& path) {
    if (!object(j, path, "a rule")) return std::nullopt;
    std::string type;
    bool damaged = false;
    if (!string(j, "type", path, type, true, damaged)) {
      keys(j, path, {"type", "worst", "best", "at_least", "at_most", "points"});
      return std::nullopt;
    }
    assess::rule r;
    if (type == "linear") {
      keys(j, path, {"type", "worst", "best"});
      r.type = assess::rule_type::linear;
      std::optional<double> w, b;
      number(j, "worst", path, w, true, damaged);
      number(j, "best", path, b, true, damaged);
      if (damaged) return std::nullopt;
      r.worst = *w;
      r.best = *b;
    } else if (type == "steps") {
      keys(j, path, {"type", "at_least", "at_most"});
      r.type = assess::rule_type::steps;
      bool least = j.contains("at_least"), most = j.contains("at_most");
      if (least == most) {
        add("rectify.scheme.bad_rule", path,
            least ? "give either \"at_least\" or \"at_most\", not both"
                  : "a steps rule needs \"at_least\" or \"at_most\"");
        return std::nullopt;
      }
      r.at_most = most;
      std::string key = most ? "at_most" : "at_least";
      auto t = pairs(j[key], pointer_append(path, key));
      if (!t) return std::nullopt;
      r.table = std::move(*t);
    } else if (type == "piecewise") {
      keys(j, path, {"type", "points"});
      r.type = assess::rule_type::piecewise;
      if (!j.contains("points")) {
        add("rectify.scheme.missing_key", path, "missing required key \"points\"");
        return std::nullopt;
      }
      auto t = pairs(j["points"], pointer_append(path, "points"));
      if (!t) return std::nullopt;
      r.table = std::move(*t);
    } else if (type == "check" || type == "direct") {
      keys(j, path, {"type"});
      r.type = type == "check" ? assess::rule_type::check : assess::rule_type::direct;
    } else {
      add("rectify.scheme.bad_rule", pointer_append(path, "type"),
          "unknown rule type " + rectify::quoted(type) + " (linear, steps, piecewise, check or direct)");
      return std::nullopt;
    }
    return r;
  }

  // A node's "weights". Always returns a spec (damaged when it cannot be read), so that the
  // children are still taken as having derived weights and not reported for lacking points.
  assess::weights_spec weights(const json& j, const std::string& path) {
    assess::weights_spec w;
    if (!object(j, path, "\"weights\"")) {
      w.damaged = true;
      return w;
    }
    std::string method;
    if (!string(j, "method", path, method, true, w.damaged)) {
      keys(j, path, {"method", "matrix", "max_cr", "ahp_method", "ri"});
      return w;
    }
    if (method == "entropy" || method == "critic" || method == "std") {
      keys(j, path, {"method"});
      w.method = method == "entropy"  ? assess::weights_method::entropy
                 : method == "critic" ? assess::weights_method::critic
                                      : assess::weights_method::std_dev;
      return w;
    }
    keys(j, path, {"method", "matrix", "max_cr", "ahp_method", "ri"});
    if (method != "ahp") {
      add("rectify.scheme.bad_weights", pointer_append(path, "method"),
          "unknown weighting method " + rectify::quoted(method) + " (ahp, entropy, critic or std)");
      w.damaged = true;
      return w;
    }
    w.method = assess::weights_method::ahp;
    std::optional<double> max_cr;
    if (number(j, "max_cr", path, max_cr, false, w.damaged)) w.max_cr = *max_cr;
    std::string text;
    if (string(j, "ahp_method", path, text, false, w.damaged)) {
      if (text == "eigenvector")
        w.ahp_method = mcda::ahp_method::eigenvector;
      else if (text == "geometric_mean")
        w.ahp_method = mcda::ahp_method::geometric_mean;
      else {
        add("rectify.scheme.bad_weights", pointer_append(path, "ahp_method"),
            "must be \"eigenvector\" or \"geometric_mean\", not " + rectify::quoted(text));
        w.damaged = true;
      }
    }
    if (string(j, "ri", path, text, false, w.damaged)) {
      if (text == "saaty1980")
        w.ri = mcda::random_index::saaty1980;
      else if (text == "alonso_lamata2006")
        w.ri = mcda::random_index::alonso_lamata2006;
      else {
        add("rectify.scheme.bad_weights", pointer_append(path, "ri"),
            "must be \"saaty1980\" or \"alonso_lamata2006\", not " + rectify::quoted(text));
        w.damaged = true;
      }
    }
    if (const json* m = lookup(j, "matrix", path, true, w.damaged)) matrix(*m, pointer_append(path, "matrix"), w);
    return w;
  }

  // A pairwise comparison matrix: rows of numbers or ratios written as strings ("1/3").
  void matrix(const json& j, const std::string& path, assess::weights_spec& w) {
    if (!array(j, path)) {
      w.damaged = true;
      return;
    }
    for (std::size_t i = 0; i < j.size(); ++i) {
      const json& row = j[i];
      std::string rp = pointer_append(path, i);
      if (!row.is_array()) {
        add("rectify.scheme.type", rp, "a row of the matrix must be an array, not " + describe(row));
        w.damaged = true;
        continue;
      }
      std::vector<double> values;
      for (std::size_t k = 0; k < row.size(); ++k) {
        const json& e = row[k];
        std::string ep = pointer_append(rp, k);
        if (e.is_string()) {
          try {
            values.push_back(mcda::parse_ratio(e.get<std::string>()));
          } catch (const rectify::error&) {
            add("rectify.scheme.bad_weights", ep,
                "must be a number or a ratio such as \"1/3\", not " + rectify::quoted(e.get<std::string>()));
            w.damaged = true;
          }
        } else if (e.is_number()) {
          if (auto d = as_number(e, ep))
            values.push_back(*d);
          else
            w.damaged = true;
        } else {
          add("rectify.scheme.type", ep, "must be a number or a ratio such as \"1/3\", not " + describe(e));
          w.damaged = true;
        }
      }
      w.matrix.push_back(std::move(values));
    }
  }

  count_item item(const json& j, const std::string& path, bool with_id) {
    count_item it;
    if (!object(j, path, "an item")) {
      it.damaged = true;
      return it;
    }
    if (with_id)
      keys(j, path, {"id", "name", "input", "per", "cap"});
    else
      keys(j, path, {"name", "input", "per", "cap"});
    if (with_id) string(j, "id", path, it.id, true, it.damaged);
    string(j, "name", path, it.name, false, it.damaged);
    string(j, "input", path, it.input, true, it.damaged);
    std::optional<double> per;
    if (number(j, "per", path, per, true, it.damaged)) it.per = *per;
    number(j, "cap", path, it.cap, false, it.damaged);
    return it;
  }

  // Damaged items stay in the list (flagged) so that the indices of later problems are right.
  std::vector<count_item> items(const json& j, const std::string& path, bool with_id, bool& damaged) {
    std::vector<count_item> out;
    if (!array(j, path)) {
      damaged = true;
      return out;
    }
    for (std::size_t i = 0; i < j.size(); ++i) out.push_back(item(j[i], pointer_append(path, i), with_id));
    return out;
  }

  node read_node(const json& j, const std::string& path, int depth) {
    node n;
    if (!object(j, path, "an indicator")) {
      n.damaged = true;
      return n;
    }
    keys(j, path, {"id", "name", "points", "weight", "input", "rule", "deductions", "children", "weights"});
    string(j, "id", path, n.id, true, n.damaged);
    string(j, "name", path, n.name, false, n.damaged);
    number(j, "points", path, n.points, false, n.damaged);
    number(j, "weight", path, n.weight, false, n.damaged);
    std::string input;
    if (string(j, "input", path, input, false, n.damaged)) n.input = input;
    if (auto it = j.find("rule"); it != j.end()) {
      n.rule_ = rule(*it, pointer_append(path, "rule"));
      if (!n.rule_) n.damaged = true;
    }
    if (auto it = j.find("deductions"); it != j.end())
      n.deductions = items(*it, pointer_append(path, "deductions"), false, n.damaged);
    if (auto it = j.find("children"); it != j.end()) {
      std::string cp = pointer_append(path, "children");
      if (depth >= kMaxDepth) {
        add("rectify.scheme.too_deep", cp, "indicators nest deeper than " + std::to_string(kMaxDepth) + " levels");
        n.damaged = true;
      } else if (array(*it, cp)) {
        n.children.emplace();
        for (std::size_t i = 0; i < it->size(); ++i)
          n.children->push_back(read_node((*it)[i], pointer_append(cp, i), depth + 1));
      } else {
        n.damaged = true;
      }
    }
    if (auto it = j.find("weights"); it != j.end()) n.weights = weights(*it, pointer_append(path, "weights"));
    return n;
  }

  static constexpr int kMaxDepth = 64;
};

}  // namespace

scheme_read parse_scheme(std::string_view text, std::string_view source) {
  scheme_read res;
  auto& out = res.problems;
  auto finish = [&]() -> scheme_read& {
    for (auto& p : out)
      if (p.source.empty()) p.source = std::string(source);
    return res;
  };
  auto parsed = detail::parse_json_text(text, source, "rectify.scheme", "a scheme", "<scheme>", out);
  if (parsed.status == detail::json_text_status::syntax) {
    res.scheme.damaged = true;
    return finish();
  }
  if (parsed.status == detail::json_text_status::overflow || parsed.status == detail::json_text_status::too_deep) {
    res.scheme.damaged = res.scheme.indicators_damaged = res.scheme.grades_damaged = true;
    return finish();
  }
  const json& doc = parsed.doc;

  reader rd(out);
  auto& s = res.scheme;
  if (!rd.object(doc, "", "a scheme")) {
    s.damaged = s.indicators_damaged = s.grades_damaged = true;
    return finish();
  }
  rd.keys(doc, "",
          {"format", "id", "name", "total", "missing", "indicators", "bonus", "penalties", "vetoes", "grades"});
  std::string format;
  // A wrong format value is reported by validate(); only an absent or non-string one here.
  if (rd.string(doc, "format", "", format, true, s.damaged)) s.format = format;
  rd.string(doc, "id", "", s.id, true, s.damaged);
  bool name_damaged = false;  // a bad name affects nothing else
  rd.string(doc, "name", "", s.name, false, name_damaged);
  std::optional<double> total;
  if (rd.number(doc, "total", "", total, false, s.damaged)) s.total = *total;
  std::string missing = "error";
  if (rd.string(doc, "missing", "", missing, false, s.damaged)) {
    if (missing == "error")
      s.missing = assess::missing_policy::error;
    else if (missing == "zero")
      s.missing = assess::missing_policy::zero;
    else if (missing == "reweight")
      s.missing = assess::missing_policy::reweight;
    else {
      rd.add("rectify.scheme.bad_value", "/missing",
             "must be \"error\", \"zero\" or \"reweight\", not " + rectify::quoted(missing));
    }
  }
  if (auto it = doc.find("indicators"); it == doc.end()) {
    rd.add("rectify.scheme.missing_key", "", "missing required key \"indicators\"");
    s.indicators_damaged = true;
  } else if (rd.array(*it, "/indicators")) {
    for (std::size_t i = 0; i < it->size(); ++i)
      s.indicators.push_back(rd.read_node((*it)[i], pointer_append("/indicators", i), 1));
  } else {
    s.indicators_damaged = true;
  }
  if (auto it = doc.find("bonus"); it != doc.end()) {
    if (rd.object(*it, "/bonus", "bonus")) {
      rd.keys(*it, "/bonus", {"cap", "items"});
      assess::bonus_section b;
      rd.number(*it, "cap", "/bonus", b.cap, false, b.damaged);
      if (auto ii = it->find("items"); ii != it->end())
        b.items = rd.items(*ii, "/bonus/items", true, b.damaged);
      else {
        rd.add("rectify.scheme.missing_key", "/bonus", "missing required key \"items\"");
      }
      s.bonus = std::move(b);
    }
  }
  if (auto it = doc.find("penalties"); it != doc.end()) {
    bool unused = false;  // a non-array is reported; there is nothing else to check
    s.penalties = rd.items(*it, "/penalties", true, unused);
  }
  if (auto it = doc.find("vetoes"); it != doc.end()) {
    if (rd.array(*it, "/vetoes")) {
      for (std::size_t i = 0; i < it->size(); ++i) {
        std::string p = pointer_append("/vetoes", i);
        const json& v = (*it)[i];
        assess::veto ve;
        if (!rd.object(v, p, "a veto")) {
          ve.damaged = true;
          s.vetoes.push_back(std::move(ve));
          continue;
        }
        rd.keys(v, p, {"id", "name", "input", "above", "max_grade"});
        bool& dmg = ve.damaged;
        rd.string(v, "id", p, ve.id, true, dmg);
        rd.string(v, "name", p, ve.name, false, dmg);
        rd.string(v, "input", p, ve.input, true, dmg);
        std::optional<double> above;
        if (rd.number(v, "above", p, above, false, dmg)) ve.above = *above;
        rd.string(v, "max_grade", p, ve.max_grade, true, dmg);
        s.vetoes.push_back(std::move(ve));
      }
    } else {
      s.damaged = true;
    }
  }
  if (auto it = doc.find("grades"); it == doc.end()) {
    rd.add("rectify.scheme.missing_key", "", "missing required key \"grades\"");
    s.grades_damaged = true;
  } else if (rd.array(*it, "/grades")) {
    for (std::size_t i = 0; i < it->size(); ++i) {
      std::string p = pointer_append("/grades", i);
      const json& g = (*it)[i];
      assess::grade gr;
      if (rd.object(g, p, "a grade")) {
        rd.keys(g, p, {"name", "min", "quota"});
        rd.string(g, "name", p, gr.name, true, gr.damaged);
        rd.number(g, "min", p, gr.min, false, gr.damaged);
        rd.number(g, "quota", p, gr.quota, false, gr.damaged);
      } else {
        gr.damaged = true;
      }
      s.grades.push_back(std::move(gr));
    }
  } else {
    s.grades_damaged = true;
  }
  return finish();
}

namespace {
// Syntax and structure first; the semantic rules run unless the text was not JSON at all.
scheme_read read_and_validate(std::string_view text, std::string_view source) {
  auto r = parse_scheme(text, source);
  bool syntax = !r.problems.empty() && r.problems.front().code == "rectify.scheme.syntax";
  if (!syntax) {
    for (auto& p : assess::validate(r.scheme)) {
      p.source = std::string(source);
      r.problems.push_back(std::move(p));
    }
  }
  return r;
}
}  // namespace

std::vector<problem> check_scheme(std::string_view text, std::string_view source) {
  return read_and_validate(text, source).problems;
}

assess::scheme load_scheme(std::string_view text, std::string_view source) {
  auto r = read_and_validate(text, source);
  if (!r.problems.empty()) raise(std::move(r.problems));
  return std::move(r.scheme);
}

assess::scheme load_scheme_file(const std::string& path) {
  return load_scheme(read_file(path), path);
}

}  // namespace rectify::io
