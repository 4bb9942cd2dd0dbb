// `rectify mcda MATRIX.csv`: weights, one aggregation method and ranks for a decision matrix
// (docs/cli.md, "mcda").
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>

#include "cli.hpp"
#include "rectify/core/table.hpp"
#include "rectify/io/csv.hpp"
#include "rectify/io/results.hpp"
#include "rectify/io/scheme_json.hpp"
#include "rectify/mcda/aggregate.hpp"
#include "rectify/mcda/rank.hpp"
#include "rectify/mcda/robustness.hpp"
#include "rectify/mcda/weights.hpp"

namespace rectify::cli {
namespace {

using ojson = nlohmann::ordered_json;

const std::vector<std::string> method_names = {"wsm", "wpm", "topsis", "vikor", "copras", "promethee2", "gra"};
const std::vector<std::string> weight_methods = {"entropy", "critic", "std", "equal"};

std::string join(const std::vector<std::string>& items, std::string_view sep = ", ") {
  std::string s;
  for (const auto& item : items) s += (s.empty() ? "" : std::string(sep)) + item;
  return s;
}

// ---------------------------------------------------------------------------------------------
// The decision matrix: the unit-data reader, then no empty cell (it reads one as missing, which
// the scorer can handle but no MCDA method can).

table read_matrix(const std::string& path, const std::string& encoding) {
  io::csv_options options;
  options.encoding = encoding;
  table t = io::read_units_csv_file(path, options);
  if (t.columns.empty())
    raise("rectify.mcda.bad_matrix", "",
          "the matrix has no criterion columns: after \"unit\", put one numeric column per criterion", path);
  if (t.units.empty())
    raise("rectify.mcda.bad_matrix", "", "the matrix has no alternatives: put one row per unit under the header", path);
  std::vector<problem> empty;
  for (std::size_t i = 0; i < t.units.size(); ++i)
    for (std::size_t j = 0; j < t.columns.size(); ++j)
      if (std::isnan(t.values(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j))))
        empty.push_back(problem{"rectify.mcda.not_finite", "",
                                "column " + rectify::quoted(t.columns[j]) + ", unit " + rectify::quoted(t.units[i]) +
                                    ": the cell is empty (a decision matrix needs a value in every cell)",
                                place(path, t.provenance.row_lines[i], t.provenance.column_numbers[j])});
  if (!empty.empty()) raise(std::move(empty));
  return t;
}

// Where a cell and a criterion's header are, for the domain checks below.
std::string cell_at(const table& t, Eigen::Index i, Eigen::Index j) {
  return place(t.provenance.source, t.provenance.row_lines[static_cast<std::size_t>(i)],
               t.provenance.column_numbers[static_cast<std::size_t>(j)]);
}
std::string header_at(const table& t, Eigen::Index j) {
  return place(t.provenance.source, 1, t.provenance.column_numbers[static_cast<std::size_t>(j)]);
}

// ---------------------------------------------------------------------------------------------
// --types

Eigen::VectorXi parse_types(const std::string& text, const table& t) {
  const auto items = split_list(text);
  const auto n = t.columns.size();
  if (items.size() != n)
    throw usage_error("--types has " + std::to_string(items.size()) + " entr" + (items.size() == 1 ? "y" : "ies") +
                      " but " + t.provenance.source + " has " + std::to_string(n) + " criteri" + (n == 1 ? "on" : "a") +
                      " (" + join(t.columns) + "): give one + or - per criterion, in order");
  Eigen::VectorXi types(static_cast<Eigen::Index>(n));
  for (std::size_t j = 0; j < n; ++j) {
    std::string lower = items[j];
    for (char& c : lower)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    if (lower == "+" || lower == "benefit")
      types[static_cast<Eigen::Index>(j)] = 1;
    else if (lower == "-" || lower == "cost")
      types[static_cast<Eigen::Index>(j)] = -1;
    else
      throw usage_error("--types entry " + std::to_string(j + 1) + " (criterion " + rectify::quoted(t.columns[j]) +
                        ") is " + rectify::quoted(items[j]) + ": write + or benefit, - or cost");
  }
  return types;
}

// ---------------------------------------------------------------------------------------------
// --weights

struct weights_used {
  Eigen::VectorXd values;  // rescaled to sum 1, as every method uses them
  std::string source;      // entropy, critic, std, equal, inline or file
  std::string file;
  bool all_constant = false;  // entropy: every column constant, so equal weights
};

// An argument made only of numbers and commas is a list of weights, never a file name (write
// ./0.5 for a file called 0.5).
bool looks_inline(std::string_view s) {
  return !s.empty() && s.find_first_not_of("0123456789.,+-eE \t") == std::string_view::npos &&
         s.find_first_of("0123456789") != std::string_view::npos;
}

Eigen::VectorXd inline_weights(const std::string& text, const table& t) {
  const auto items = split_list(text);
  const auto n = t.columns.size();
  if (items.size() != n)
    throw usage_error("--weights has " + std::to_string(items.size()) + " number" + (items.size() == 1 ? "" : "s") +
                      " but " + t.provenance.source + " has " + std::to_string(n) + " criteri" + (n == 1 ? "on" : "a") +
                      " (" + join(t.columns) + ")");
  Eigen::VectorXd w(static_cast<Eigen::Index>(n));
  for (std::size_t j = 0; j < n; ++j) {
    double v = 0;
    if (!parse_number(items[j], v) || v < 0)
      throw usage_error("--weights entry " + std::to_string(j + 1) + " (criterion " + rectify::quoted(t.columns[j]) +
                        ") is " + rectify::quoted(items[j]) + ": a weight is a finite number >= 0");
    w[static_cast<Eigen::Index>(j)] = v;
  }
  if (!(w.sum() > 0)) throw usage_error("--weights: the weights sum to 0; at least one must be positive");
  return w;
}

// Collects a weight file's entries by criterion name, with the place of each for messages.
class weight_entries {
 public:
  weight_entries(const table& t, std::string file) : t_(t), file_(std::move(file)), w_(t.columns.size()) {}

  void add(const std::string& name, double value, const std::string& where, const std::string& path = {}) {
    const auto it = std::find(t_.columns.begin(), t_.columns.end(), name);
    if (it == t_.columns.end())
      raise("rectify.mcda.bad_weights", path,
            "unknown criterion " + rectify::quoted(name) + "; the criteria of " + t_.provenance.source + " are " +
                join(t_.columns),
            where);
    const auto j = static_cast<std::size_t>(it - t_.columns.begin());
    if (w_[j])
      raise("rectify.mcda.bad_weights", path,
            "criterion " + rectify::quoted(name) + " is given twice (first at " + w_[j]->second + ")", where);
    if (!std::isfinite(value) || value < 0)
      raise("rectify.mcda.bad_weights", path,
            "criterion " + rectify::quoted(name) + ": a weight is a finite number >= 0, not " +
                rectify::number_text(value),
            where);
    w_[j] = std::make_pair(value, where);
  }

  Eigen::VectorXd finish() const {
    std::vector<std::string> missing;
    Eigen::VectorXd w(static_cast<Eigen::Index>(w_.size()));
    for (std::size_t j = 0; j < w_.size(); ++j) {
      if (!w_[j]) missing.push_back(rectify::quoted(t_.columns[j]));
      w[static_cast<Eigen::Index>(j)] = w_[j] ? w_[j]->first : 0.0;
    }
    if (!missing.empty())
      raise("rectify.mcda.bad_weights", "",
            "no weight for " + join(missing) + " (every criterion of " + t_.provenance.source +
                " needs exactly one; give 0 to leave one out)",
            file_);
    if (!(w.sum() > 0))
      raise("rectify.mcda.bad_weights", "", "the weights sum to 0; at least one must be positive", file_);
    return w;
  }

 private:
  const table& t_;
  std::string file_;
  std::vector<std::optional<std::pair<double, std::string>>> w_;
};

// `criterion,weight` with a header; other columns are ignored, so the CSV output of
// `rectify ahp` can be used as it is.
Eigen::VectorXd csv_weights(std::string_view bytes, const std::string& file, const table& t) {
  const auto rows = read_csv_cells(bytes, file);
  std::optional<std::size_t> name_col, weight_col;
  for (std::size_t c = 0; c < rows[0].size(); ++c) {
    if (rows[0][c].text == "criterion") name_col = c;
    if (rows[0][c].text == "weight") weight_col = c;
  }
  if (!name_col || !weight_col)
    raise("rectify.mcda.bad_weights", "",
          "a weight file in CSV has a header with the columns \"criterion\" and \"weight\" (or is a JSON object "
          "{\"criterion\": weight})",
          place(file, rows[0][0].line));
  weight_entries entries(t, file);
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (row.size() != rows[0].size())
      raise(
          "rectify.data.ragged", "",
          "the row has " + std::to_string(row.size()) + " fields but the header has " + std::to_string(rows[0].size()),
          place(file, row[0].line));
    const auto& w = row[*weight_col];
    double value = 0;
    if (!parse_number(w.text, value))
      raise("rectify.mcda.bad_weights", "",
            "criterion " + rectify::quoted(row[*name_col].text) + ": " + rectify::quoted(w.text) + " is not a number",
            place(file, w.line, w.column));
    entries.add(row[*name_col].text, value, place(file, row[*name_col].line, row[*name_col].column));
  }
  return entries.finish();
}

std::pair<std::size_t, std::size_t> line_col(std::string_view text, std::size_t offset) {
  std::size_t line = 1, col = 1;
  for (std::size_t k = 0; k < offset && k < text.size(); ++k) {
    if (text[k] == '\n') {
      ++line;
      col = 1;
    } else if ((static_cast<unsigned char>(text[k]) & 0xC0) != 0x80) {
      ++col;  // columns count characters, not the bytes of UTF-8 sequences
    }
  }
  return {line, col};
}

// The keys of the top-level object, in order, with the offset of each: nlohmann keeps only the
// last of two equal keys and does not say where a key was, and both matter to the analyst.
std::vector<std::pair<std::string, std::size_t>> top_level_keys(std::string_view text) {
  std::vector<std::pair<std::string, std::size_t>> keys;
  int depth = 0;
  bool expect_key = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      std::size_t end = i + 1;
      while (end < text.size() && text[end] != '"') end += text[end] == '\\' ? 2 : 1;
      if (depth == 1 && expect_key)
        keys.emplace_back(ojson::parse(std::string(text.substr(i, end - i + 1))).get<std::string>(), i);
      expect_key = false;
      i = end;
    } else if (c == '{' || c == '[') {
      ++depth;
      expect_key = depth == 1 && c == '{';
    } else if (c == '}' || c == ']') {
      --depth;
    } else if (c == ',' && depth == 1) {
      expect_key = true;
    }
  }
  return keys;
}

Eigen::VectorXd json_weights(std::string_view text, const std::string& file, const table& t) {
  ojson doc;
  try {
    doc = ojson::parse(text.begin(), text.end());
  } catch (const ojson::parse_error& e) {
    const auto [line, col] = line_col(text, e.byte == 0 ? 0 : e.byte - 1);
    std::string why = e.what();
    if (const auto colon = why.rfind(": "); colon != std::string::npos) why = why.substr(colon + 2);
    raise("rectify.mcda.bad_weights", "", "not valid JSON: " + why, place(file, line, col));
  } catch (const ojson::out_of_range&) {
    // 1e400: valid JSON, but nlohmann throws out_of_range (no position) for a number beyond a double.
    raise("rectify.mcda.bad_weights", "", "a number is out of the range of a double (weights must be finite)", file);
  }
  if (!doc.is_object())
    raise("rectify.mcda.bad_weights", "", "a weight file in JSON is an object {\"criterion\": weight, ...}", file);
  weight_entries entries(t, file);
  for (const auto& [key, offset] : top_level_keys(text)) {
    const auto [line, col] = line_col(text, offset);
    const auto path = pointer_append("", key);
    // With two equal keys nlohmann keeps the last value; the second key is refused below anyway.
    const auto& value = doc[key];
    if (!value.is_number())
      raise("rectify.mcda.bad_weights", path,
            "criterion " + rectify::quoted(key) + ": a weight is a number, not " + std::string(value.type_name()),
            place(file, line, col));
    entries.add(key, value.get<double>(), place(file, line, col), path);
  }
  return entries.finish();
}

weights_used resolve_weights(const std::string& arg, const table& t, const Eigen::VectorXi& types) {
  weights_used out;
  const auto n = static_cast<Eigen::Index>(t.columns.size());
  if (arg == "equal") {
    out.values = mcda::equal(n);
    out.source = arg;
  } else if (arg == "entropy") {
    for (Eigen::Index j = 0; j < n; ++j)
      for (Eigen::Index i = 0; i < t.values.rows(); ++i)
        if (t.values(i, j) < 0)
          raise("rectify.mcda.bad_matrix", "",
                "column " + rectify::quoted(t.columns[static_cast<std::size_t>(j)]) +
                    ": entropy weights need values >= 0, not " + rectify::number_text(t.values(i, j)),
                cell_at(t, i, j));
    auto e = mcda::entropy(t.values);
    out.values = e.weights;
    out.all_constant = e.all_constant;
    out.source = arg;
  } else if (arg == "critic") {
    out.values = mcda::critic(t.values, types);
    out.source = arg;
  } else if (arg == "std") {
    out.values = mcda::std_weights(t.values, types);
    out.source = arg;
  } else if (looks_inline(arg)) {
    out.values = inline_weights(arg, t);
    out.source = "inline";
  } else {
    const std::string bytes = io::read_file(arg);
    std::string_view text = bytes;
    if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
    const auto first = text.find_first_not_of(" \t\r\n");
    const bool json = first != std::string_view::npos && (text[first] == '{' || text[first] == '[');
    out.values = json ? json_weights(text, arg, t) : csv_weights(bytes, arg, t);
    out.source = "file";
    out.file = arg;
  }
  out.values /= out.values.sum();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Method options

bool uses_q(mcda::preference k) {
  return k == mcda::preference::u_shape || k == mcda::preference::level || k == mcda::preference::linear;
}
bool uses_p(mcda::preference k) {
  return k == mcda::preference::v_shape || k == mcda::preference::level || k == mcda::preference::linear;
}

const std::map<std::string, mcda::preference> preference_names = {
    {"usual", mcda::preference::usual},     {"u_shape", mcda::preference::u_shape},
    {"v_shape", mcda::preference::v_shape}, {"level", mcda::preference::level},
    {"linear", mcda::preference::linear},   {"gaussian", mcda::preference::gaussian},
    {"u-shape", mcda::preference::u_shape}, {"v-shape", mcda::preference::v_shape}};

std::string preference_name(mcda::preference k) {
  switch (k) {
    case mcda::preference::usual:
      return "usual";
    case mcda::preference::u_shape:
      return "u_shape";
    case mcda::preference::v_shape:
      return "v_shape";
    case mcda::preference::level:
      return "level";
    case mcda::preference::linear:
      return "linear";
    case mcda::preference::gaussian:
      return "gaussian";
  }
  return "usual";
}

// One value for every criterion, or one per criterion.
template <class T, class Parse>
std::vector<T> per_criterion(const std::string& option, const std::string& text, const table& t, Parse parse) {
  const auto items = split_list(text);
  const auto n = t.columns.size();
  if (items.size() != 1 && items.size() != n)
    throw usage_error(option + " has " + std::to_string(items.size()) + " entries: give one for every criterion or " +
                      std::to_string(n) + ", one per criterion (" + join(t.columns) + ")");
  std::vector<T> out;
  for (std::size_t j = 0; j < n; ++j) out.push_back(parse(items[items.size() == 1 ? 0 : j], j));
  return out;
}

// ---------------------------------------------------------------------------------------------
// The result of one method: the main score first, then the method's other arrays.

struct outcome {
  std::string score_is;  // what the score is, for the title and the JSON
  bool higher_is_better = true;
  std::vector<std::pair<std::string, Eigen::VectorXd>> columns;  // columns[0] is "score"
  std::optional<std::vector<Eigen::Index>> compromise;           // VIKOR only
};

outcome aggregate(mcda::method m, const table& t, const Eigen::VectorXd& w, const Eigen::VectorXi& types,
                  const mcda::method_options& o) {
  const auto& x = t.values;
  outcome r;
  r.higher_is_better = mcda::higher_is_better(m);
  switch (m) {
    case mcda::method::wsm:
      r.score_is = "weighted sum";
      r.columns = {{"score", mcda::wsm(x, w, types, o.norm)}};
      break;
    case mcda::method::wpm:
      r.score_is = "weighted product";
      r.columns = {{"score", mcda::wpm(x, w, types, o.norm)}};
      break;
    case mcda::method::topsis: {
      auto res = mcda::topsis(x, w, types, o.norm);
      r.score_is = "closeness C";
      r.columns = {{"score", res.closeness}, {"d_plus", res.d_plus}, {"d_minus", res.d_minus}};
      break;
    }
    case mcda::method::vikor: {
      auto res = mcda::vikor(x, w, types, o.v);
      r.score_is = "Q";
      r.columns = {{"score", res.q}, {"S", res.s}, {"R", res.r}};
      r.compromise = res.compromise;
      break;
    }
    case mcda::method::copras: {
      auto res = mcda::copras(x, w, types);
      r.score_is = "utility Q/max Q";
      r.columns = {{"score", res.utility}, {"s_plus", res.s_plus}, {"s_minus", res.s_minus}, {"q", res.q}};
      break;
    }
    case mcda::method::promethee2: {
      auto res = mcda::promethee2(x, w, types, o.functions);
      r.score_is = "net flow phi";
      r.columns = {{"score", res.phi}, {"phi_plus", res.phi_plus}, {"phi_minus", res.phi_minus}};
      break;
    }
    case mcda::method::gra:
      r.score_is = "grey relational grade";
      r.columns = {{"score", mcda::gra(x, w, types, o.rho)}};
      break;
  }
  return r;
}

// The refusals of the methods that concern single cells or criteria, checked here so that the
// message names the file, line and column instead of 0-based matrix positions.
void check_domain(mcda::method m, const table& t, const Eigen::VectorXi& types, const mcda::method_options& o) {
  const auto& x = t.values;
  const bool normalizes = m == mcda::method::wsm || m == mcda::method::wpm || m == mcda::method::topsis;
  const auto col = [&](Eigen::Index j) {
    return "column " + rectify::quoted(t.columns[static_cast<std::size_t>(j)]) + ": ";
  };
  for (Eigen::Index j = 0; j < x.cols(); ++j) {
    const bool cost = types[j] == -1;
    for (Eigen::Index i = 0; i < x.rows(); ++i) {
      const double v = x(i, j);
      if (m == mcda::method::copras && (v < 0 || (cost && v <= 0)))
        raise("rectify.mcda.bad_matrix", "",
              col(j) + "COPRAS needs values " + (cost ? "> 0 in a cost column" : ">= 0") + ", not " +
                  rectify::number_text(v),
              cell_at(t, i, j));
      if (normalizes && o.norm == mcda::normalization::sum && v <= 0)
        raise("rectify.mcda.bad_matrix", "",
              col(j) + "sum normalisation needs values > 0, not " + rectify::number_text(v), cell_at(t, i, j));
      if (normalizes && o.norm == mcda::normalization::linear && cost && v == 0)
        raise("rectify.mcda.bad_matrix", "", col(j) + "linear normalisation (min/x) refuses a zero in a cost column",
              cell_at(t, i, j));
    }
    const double hi = x.col(j).maxCoeff();
    if (m == mcda::method::copras && !cost && !(x.col(j).sum() > 0))
      raise("rectify.mcda.bad_matrix", "", col(j) + "COPRAS needs a positive sum in a benefit column", header_at(t, j));
    if (normalizes && o.norm == mcda::normalization::vector && x.col(j).norm() == 0)
      raise("rectify.mcda.bad_matrix", "", col(j) + "vector normalisation refuses an all-zero column", header_at(t, j));
    if (normalizes && hi == 0 &&
        (o.norm == mcda::normalization::max || (o.norm == mcda::normalization::linear && !cost)))
      raise(
          "rectify.mcda.bad_matrix", "",
          col(j) + std::string(mcda::to_string(o.norm)) + " normalisation (x/max) refuses a column whose maximum is 0",
          header_at(t, j));
  }
}

// ---------------------------------------------------------------------------------------------
// Output

struct report {
  const table& t;
  mcda::method m;
  const mcda::method_options& o;
  const Eigen::VectorXi& types;
  const weights_used& w;
  const outcome& r;
  const Eigen::VectorXd& ranks;
  std::string ties;
};

std::string title(const report& p) {
  std::string s;
  switch (p.m) {
    case mcda::method::wsm:
      s = "WSM (" + std::string(mcda::to_string(p.o.norm)) + " normalisation)";
      break;
    case mcda::method::wpm:
      s = "WPM (" + std::string(mcda::to_string(p.o.norm)) + " normalisation)";
      break;
    case mcda::method::topsis:
      s = "TOPSIS (" + std::string(mcda::to_string(p.o.norm)) + " normalisation)";
      break;
    case mcda::method::vikor:
      s = "VIKOR (v = " + io::format_double(p.o.v) + ")";
      break;
    case mcda::method::copras:
      s = "COPRAS";
      break;
    case mcda::method::promethee2: {
      std::set<std::string> kinds;
      for (const auto& f : p.o.functions) kinds.insert(preference_name(f.kind));
      s = "PROMETHEE II (" + join(std::vector<std::string>(kinds.begin(), kinds.end())) + " preference)";
      break;
    }
    case mcda::method::gra:
      s = "GRA (rho = " + io::format_double(p.o.rho) + ")";
      break;
  }
  const auto m = p.t.units.size(), n = p.t.columns.size();
  return s + " on " + p.t.provenance.source + ": " + std::to_string(m) + " alternative" + (m == 1 ? "" : "s") + ", " +
         std::to_string(n) + " criteri" + (n == 1 ? "on" : "a") + "; score = " + p.r.score_is + ", " +
         (p.r.higher_is_better ? "higher" : "lower") + " is better; ranks: " + p.ties + "\n";
}

std::string weights_note(const weights_used& w) {
  if (w.source == "file") return "weights from " + w.file;
  if (w.source == "inline") return "weights from --weights";
  if (w.all_constant) return "weights: entropy (every column is constant, so the weights are equal)";
  return "weights: " + w.source;
}

std::string table_output(const report& p) {
  std::vector<Eigen::Index> order(p.t.units.size());
  for (std::size_t i = 0; i < order.size(); ++i) order[i] = static_cast<Eigen::Index>(i);
  std::stable_sort(order.begin(), order.end(), [&](Eigen::Index a, Eigen::Index b) { return p.ranks[a] < p.ranks[b]; });
  std::vector<std::string> head = {"rank", "unit"};
  for (const auto& c : p.r.columns) head.push_back(c.first);
  std::vector<std::vector<std::string>> rows;
  for (const auto i : order) {
    std::vector<std::string> row = {rank_text(p.ranks[i]), p.t.units[static_cast<std::size_t>(i)]};
    for (const auto& c : p.r.columns) row.push_back(fixed(c.second[i], 4));
    rows.push_back(std::move(row));
  }
  std::vector<bool> right(head.size(), true);
  right[1] = false;
  std::string out = title(p) + aligned_table(head, rows, right);
  if (p.r.compromise) {
    std::vector<std::string> names;
    for (const auto i : *p.r.compromise) names.push_back(p.t.units[static_cast<std::size_t>(i)]);
    out += "compromise solution: " + join(names) + "\n";
  }
  std::vector<std::vector<std::string>> crit;
  for (std::size_t j = 0; j < p.t.columns.size(); ++j) {
    const auto e = static_cast<Eigen::Index>(j);
    crit.push_back({p.t.columns[j], p.types[e] == 1 ? "benefit" : "cost", fixed(p.w.values[e], 4)});
  }
  out += "\n" + aligned_table({"criterion", "type", "weight"}, crit, {false, false, true});
  return out + weights_note(p.w) + " (rescaled to sum 1)\n";
}

ojson options_json(const report& p) {
  ojson o = ojson::object();
  switch (p.m) {
    case mcda::method::wsm:
    case mcda::method::wpm:
    case mcda::method::topsis:
      o["normalization"] = mcda::to_string(p.o.norm);
      break;
    case mcda::method::vikor:
      o["v"] = p.o.v;
      break;
    case mcda::method::gra:
      o["rho"] = p.o.rho;
      break;
    case mcda::method::promethee2: {
      ojson fs = ojson::array();
      for (std::size_t j = 0; j < p.o.functions.size(); ++j) {
        const auto& f = p.o.functions[j];
        ojson e;
        e["criterion"] = p.t.columns[j];
        e["function"] = preference_name(f.kind);
        if (uses_q(f.kind)) e["q"] = f.q;
        if (uses_p(f.kind)) e["p"] = f.p;
        if (f.kind == mcda::preference::gaussian) e["s"] = f.s;
        fs.push_back(std::move(e));
      }
      o["preference"] = std::move(fs);
      break;
    }
    case mcda::method::copras:
      break;
  }
  return o;
}

ojson rank_json(double rank) {
  if (rank == std::floor(rank)) return static_cast<long long>(rank);
  return rank;
}

std::string json_output(const report& p) {
  ojson doc;
  doc["matrix"] = p.t.provenance.source;
  doc["method"] = mcda::to_string(p.m);
  doc["options"] = options_json(p);
  doc["ties"] = p.ties;
  doc["score_is"] = p.r.score_is;
  doc["higher_is_better"] = p.r.higher_is_better;
  doc["criteria"] = p.t.columns;
  ojson types = ojson::array();
  for (Eigen::Index j = 0; j < p.types.size(); ++j) types.push_back(p.types[j] == 1 ? "benefit" : "cost");
  doc["types"] = std::move(types);
  doc["weights"] = std::vector<double>(p.w.values.data(), p.w.values.data() + p.w.values.size());
  doc["weights_source"] = p.w.source;
  if (!p.w.file.empty()) doc["weights_file"] = p.w.file;
  ojson alts = ojson::array();
  for (std::size_t i = 0; i < p.t.units.size(); ++i) {
    const auto e = static_cast<Eigen::Index>(i);
    ojson a;
    a["unit"] = p.t.units[i];
    a["rank"] = rank_json(p.ranks[e]);
    for (const auto& c : p.r.columns) a[c.first] = c.second[e];
    if (p.r.compromise)
      a["compromise"] = std::find(p.r.compromise->begin(), p.r.compromise->end(), e) != p.r.compromise->end();
    alts.push_back(std::move(a));
  }
  doc["alternatives"] = std::move(alts);
  if (p.r.compromise) {
    ojson c = ojson::array();
    for (const auto i : *p.r.compromise) c.push_back(p.t.units[static_cast<std::size_t>(i)]);
    doc["compromise"] = std::move(c);
  }
  return doc.dump(2) + "\n";
}

std::string csv_output(const report& p) {
  std::string out = "unit,rank";
  for (const auto& c : p.r.columns) out += "," + c.first;
  if (p.r.compromise) out += ",compromise";
  out += "\n";
  for (std::size_t i = 0; i < p.t.units.size(); ++i) {
    const auto e = static_cast<Eigen::Index>(i);
    // Appends, not "," + field: GCC 12 -O3 warns falsely (-Wrestrict) on a literal plus a temporary.
    out += csv_field(p.t.units[i]);
    out += ',';
    out += io::format_double(p.ranks[e]);
    for (const auto& c : p.r.columns) {
      out += ',';
      out += io::format_double(c.second[e]);
    }
    if (p.r.compromise)
      out += std::find(p.r.compromise->begin(), p.r.compromise->end(), e) != p.r.compromise->end() ? ",true" : ",false";
    out += "\n";
  }
  return out;
}

}  // namespace

void mcda_command::add_to(CLI::App& app) {
  sub_ = app.add_subcommand("mcda", "weight, aggregate and rank the alternatives of a decision matrix (MCDA)");
  sub_->add_option("MATRIX", matrix_, "decision matrix CSV: a `unit` column, then one numeric column per criterion")
      ->required();
  sub_->add_option("--method", method_, "aggregation method (default topsis)")->check(CLI::IsMember(method_names));
  sub_->add_option("--weights", weights_,
                   "entropy, critic, std, equal, a comma list of numbers (one per criterion), or a FILE: CSV "
                   "`criterion,weight` or JSON {\"criterion\": weight}")
      ->required();
  sub_->add_option("--types", types_, "one + (benefit) or - (cost) per criterion, in column order: +,-,+")->required();
  sub_->add_option("--format", format_, "table (ranked, rounded), json or csv (full precision)")
      ->check(CLI::IsMember({"table", "json", "csv"}));
  sub_->add_option("--ties", ties_, "rank ties: competition (1224, default), dense, average or ordinal")
      ->check(CLI::IsMember({"competition", "dense", "average", "ordinal"}));
  sub_->add_option("--encoding", encoding_, "encoding of MATRIX")->check(CLI::IsMember({"utf-8", "gbk", "gb18030"}));
  normalization_opt_ = sub_->add_option("--normalization", normalization_,
                                        "wsm, wpm, topsis: minmax (default), vector, sum, max or linear")
                           ->check(CLI::IsMember({"minmax", "vector", "sum", "max", "linear"}));
  v_opt_ = sub_->add_option("--vikor-v", v_, "vikor: weight of the group utility S in Q, 0..1 (default 0.5)");
  rho_opt_ = sub_->add_option("--rho", rho_, "gra: distinguishing coefficient, 0 < rho <= 1 (default 0.5)");
  preference_opt_ =
      sub_->add_option("--preference", preference_,
                       "promethee2: usual (default), u_shape, v_shape, level, linear or gaussian; one for every "
                       "criterion or a comma list, one per criterion");
  q_opt_ = sub_->add_option("--q", q_, "promethee2: indifference threshold(s), one or one per criterion");
  p_opt_ = sub_->add_option("--p", p_, "promethee2: preference threshold(s), one or one per criterion");
  s_opt_ = sub_->add_option("--s", s_, "promethee2: gaussian spread(s), one or one per criterion");
}

int mcda_command::run() const {
  const auto m = mcda::parse_method(method_);
  // Options of another method are refused rather than ignored: an analyst who typed them
  // expects them to change the result.
  const bool normalizes = m == mcda::method::wsm || m == mcda::method::wpm || m == mcda::method::topsis;
  const auto not_for = [&](const std::string& option, const std::string& methods) {
    throw usage_error(option + " applies to " + methods + ", not to --method " + method_);
  };
  if (normalization_opt_->count() > 0 && !normalizes) not_for("--normalization", "wsm, wpm and topsis");
  if (v_opt_->count() > 0 && m != mcda::method::vikor) not_for("--vikor-v", "vikor");
  if (rho_opt_->count() > 0 && m != mcda::method::gra) not_for("--rho", "gra");
  for (const auto* opt : {preference_opt_, q_opt_, p_opt_, s_opt_})
    if (opt->count() > 0 && m != mcda::method::promethee2) not_for(opt->get_name(), "promethee2");
  if (v_opt_->count() > 0 && !(v_ >= 0 && v_ <= 1))
    throw usage_error("--vikor-v is " + rectify::number_text(v_) + ": it lies between 0 and 1");
  if (rho_opt_->count() > 0 && !(rho_ > 0 && rho_ <= 1))
    throw usage_error("--rho is " + rectify::number_text(rho_) + ": it lies in (0, 1]");

  if (weights_.empty()) throw usage_error("--weights is empty: give entropy, critic, std, equal, numbers or a file");
  const table t = read_matrix(matrix_, encoding_);
  const auto types = parse_types(types_, t);

  mcda::method_options o;
  o.norm = mcda::parse_normalization(normalization_);
  o.v = v_;
  o.rho = rho_;
  if (m == mcda::method::promethee2) {
    const auto kinds =
        per_criterion<mcda::preference>("--preference", preference_, t, [&](const std::string& s, std::size_t) {
          const auto it = preference_names.find(s);
          if (it == preference_names.end())
            throw usage_error("--preference " + rectify::quoted(s) +
                              ": expected usual, u_shape, v_shape, level, linear or gaussian");
          return it->second;
        });
    const auto numbers = [&](const CLI::Option* opt, const std::string& text) {
      if (opt->count() == 0) return std::vector<double>();
      return per_criterion<double>(opt->get_name(), text, t, [&](const std::string& s, std::size_t) {
        double v = 0;
        if (!parse_number(s, v)) throw usage_error(opt->get_name() + " " + rectify::quoted(s) + " is not a number");
        return v;
      });
    };
    const auto qs = numbers(q_opt_, q_), ps = numbers(p_opt_, p_), ss = numbers(s_opt_, s_);
    bool any_q = false, any_p = false, any_s = false;
    for (std::size_t j = 0; j < kinds.size(); ++j) {
      mcda::preference_function f;
      f.kind = kinds[j];
      const std::string who = "criterion " + rectify::quoted(t.columns[j]) + " (" + preference_name(f.kind) + ")";
      if (uses_q(f.kind)) {
        if (qs.empty()) throw usage_error(who + " needs --q, the indifference threshold");
        f.q = qs[j];
        any_q = true;
        if (f.q < 0) throw usage_error(who + ": --q is " + rectify::number_text(f.q) + "; a threshold is >= 0");
      }
      if (uses_p(f.kind)) {
        if (ps.empty()) throw usage_error(who + " needs --p, the preference threshold");
        f.p = ps[j];
        any_p = true;
        if (f.kind == mcda::preference::v_shape && !(f.p > 0))
          throw usage_error(who + ": --p is " + rectify::number_text(f.p) + "; it must be > 0");
        if (f.kind != mcda::preference::v_shape && !(f.p > f.q))
          throw usage_error(who + ": --p (" + rectify::number_text(f.p) + ") must be greater than --q (" +
                            rectify::number_text(f.q) + ")");
      }
      if (f.kind == mcda::preference::gaussian) {
        if (ss.empty()) throw usage_error(who + " needs --s, the gaussian spread");
        f.s = ss[j];
        any_s = true;
        if (!(f.s > 0)) throw usage_error(who + ": --s is " + rectify::number_text(f.s) + "; it must be > 0");
      }
      o.functions.push_back(f);
    }
    if (!qs.empty() && !any_q) throw usage_error("--q is given but no criterion's preference function uses it");
    if (!ps.empty() && !any_p) throw usage_error("--p is given but no criterion's preference function uses it");
    if (!ss.empty() && !any_s) throw usage_error("--s is given but only gaussian preference functions use it");
  }

  check_domain(m, t, types, o);
  weights_used w;
  outcome r;
  Eigen::VectorXd ranks;
  try {
    w = resolve_weights(weights_, t, types);
    r = aggregate(m, t, w.values, types, o);
    ranks = mcda::rank(r.columns[0].second, r.higher_is_better, mcda::parse_ties(ties_));
  } catch (const rectify::error& e) {
    // What the library refuses without a place is about the matrix as a whole.
    auto ps = e.problems();
    for (auto& p : ps)
      if (p.source.empty()) p.source = matrix_;
    raise(std::move(ps));
  }
  if (w.all_constant)
    std::fprintf(stderr, "rectify: note: %s: every column is constant, so the entropy weights are equal\n",
                 matrix_.c_str());
  const report p{t, m, o, types, w, r, ranks, ties_};
  return write_stdout(format_ == "json" ? json_output(p) : format_ == "csv" ? csv_output(p) : table_output(p));
}

}  // namespace rectify::cli
