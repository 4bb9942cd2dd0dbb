// `rectify similar`: copied-material detection (compliance.md §4) on the command line
// (docs/cli.md; docs/similarity.md, "Reading documents and the command line").
#include <algorithm>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <system_error>
#include <utility>
#include <vector>

#include "cli.hpp"
#include "rectify/io/csv.hpp"
#include "rectify/io/documents.hpp"
#include "rectify/io/results.hpp"
#include "rectify/io/scheme_json.hpp"
#include "rectify/text/normalize.hpp"
#include "rectify/text/similar.hpp"

namespace rectify::cli {
namespace {

using ojson = nlohmann::ordered_json;
namespace tx = rectify::text;

// A passage longer than this many characters is shown as its first `kHead` and last `kTail`
// characters around an ellipsis: both ends are what a reviewer looks for in the document.
constexpr std::size_t kShown = 60, kHead = 40, kTail = 19;

bool continuation(char c) noexcept {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// Characters (code points) in text[0, offset): the positions people count in an editor.
std::size_t chars_before(std::string_view text, std::size_t offset) noexcept {
  std::size_t n = 0;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) n += continuation(text[i]) ? 0 : 1;
  return n;
}

std::string_view slice(const tx::document& d, std::size_t begin, std::size_t end) {
  return std::string_view(d.text).substr(begin, end - begin);
}

// A passage as written, on one terminal line: every run of whitespace (line breaks included)
// becomes one space, and a long passage keeps its two ends around "…".
std::string one_line(std::string_view s) {
  std::vector<std::string_view> chars;
  bool space = false;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 1;
    while (i + len < s.size() && continuation(s[i + len])) ++len;
    const std::string_view c = s.substr(i, len);
    i += len;
    if (c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\v" || c == "\f" || c == "\u3000") {
      space = true;
      continue;
    }
    if (space && !chars.empty()) chars.emplace_back(" ");
    space = false;
    chars.push_back(c);
  }
  std::string out;
  if (chars.size() <= kShown) {
    for (const auto c : chars) out += c;
    return out;
  }
  for (std::size_t i = 0; i < kHead; ++i) out += chars[i];
  out += "…";
  for (std::size_t i = chars.size() - kTail; i < chars.size(); ++i) out += chars[i];
  return out;
}

std::string percent(double rate) {
  return fixed(100 * rate, 1) + "%";
}

// `第 12–60 字`: the 1-based first and last character of a byte range.
std::string char_range(const tx::document& d, std::size_t begin, std::size_t end) {
  return cat("第 ", std::to_string(chars_before(d.text, begin) + 1), "–", std::to_string(chars_before(d.text, end)),
             " 字");
}

std::string similar_table(const std::vector<tx::document>& docs, const tx::similar_report& report,
                          const std::string& template_path) {
  const auto& o = report.options;
  std::vector<std::string_view> units;
  for (const auto& d : docs) units.push_back(d.unit);
  std::sort(units.begin(), units.end());
  units.erase(std::unique(units.begin(), units.end()), units.end());

  std::string out = cat("相似材料检查: ", std::to_string(docs.size()), " 份材料, ", std::to_string(units.size()),
                        " 个单位; 相似度 ≥ ", decimal_text(o.threshold), ", ", std::to_string(o.k), " 字片段; 找到 ",
                        std::to_string(report.pairs.size()), " 对", o.same_unit ? "" : " (不含同一单位内的)", "\n");
  if (!template_path.empty()) out += cat("模板: ", template_path, " (其中的片段不计)\n");

  if (report.pairs.empty()) {
    out += cat("\n没有相似度达到 ", decimal_text(o.threshold), " 的材料\n");
  } else {
    std::vector<std::vector<std::string>> rows;
    for (const auto& p : report.pairs) {
      const auto &a = docs.at(p.a), &b = docs.at(p.b);
      rows.push_back({a.unit, a.title, b.unit, b.title, percent(p.jaccard), percent(p.a_in_b), percent(p.b_in_a)});
    }
    out += "\n";
    out += aligned_table({"单位A", "文件A", "单位B", "文件B", "相似度", "A在B中", "B在A中"}, rows,
                         {false, false, false, false, true, true, true});

    out += cat("\n共同段落 (每对最长的 ", std::to_string(o.max_passages), " 段, 至少 ", std::to_string(o.min_passage),
               " 字; 位置按原文字数)\n");
    for (std::size_t n = 0; n < report.pairs.size(); ++n) {
      const auto& p = report.pairs[n];
      const auto &a = docs.at(p.a), &b = docs.at(p.b);
      out += cat("\n", std::to_string(n + 1), ". ", a.unit, " ", a.title, " ↔ ", b.unit, " ", b.title, "\n");
      if (p.passages.empty()) out += cat("   (没有 ", std::to_string(o.min_passage), " 字以上的连续共同段落)\n");
      for (const auto& s : p.passages) {
        const std::string_view at = slice(a, s.a_begin, s.a_end), bt = slice(b, s.b_begin, s.b_end);
        out += cat("   ", std::to_string(s.chars), " 字  A ", char_range(a, s.a_begin, s.a_end), "  B ",
                   char_range(b, s.b_begin, s.b_end), "\n");
        out += cat("     A: ", one_line(at), "\n");
        // B's side is shown only where it was written differently (punctuation, full-width
        // digits): the same text twice would only make the list longer.
        if (bt != at) out += cat("     B: ", one_line(bt), "\n");
      }
    }
  }

  if (!report.too_short.empty()) {
    out += cat("\n过短, 未比较 (不足 ", std::to_string(o.k), " 字): ");
    for (std::size_t i = 0; i < report.too_short.size(); ++i) {
      const auto& d = docs.at(report.too_short[i]);
      out += cat(i == 0 ? "" : "、", d.unit, " ", d.title);
    }
    out += "\n";
  }
  out += cat("\nLSH ", std::to_string(report.bands), " 段 × ", std::to_string(report.rows), " 行: 候选 ",
             std::to_string(report.candidates), " 对, 均按精确相似度核对\n");
  return out;
}

ojson doc_json(const tx::document& d) {
  return ojson{{"unit", d.unit}, {"doc", d.title}, {"source", d.source}};
}

std::string similar_json(const std::vector<tx::document>& docs, const tx::similar_report& report,
                         const std::string& template_path) {
  const auto& o = report.options;
  ojson doc;
  doc["options"] =
      ojson{{"threshold", o.threshold},     {"k", o.k},
            {"hashes", o.hashes},           {"seed", o.seed},
            {"min_passage", o.min_passage}, {"max_passages", o.max_passages},
            {"same_unit", o.same_unit},     {"template", template_path.empty() ? ojson(nullptr) : ojson(template_path)},
            {"threads", o.threads}};
  doc["documents"] = ojson::array();
  for (std::size_t i = 0; i < docs.size(); ++i) {
    ojson j = doc_json(docs[i]);
    j["shingles"] = i < report.shingles.size() ? ojson(report.shingles[i]) : ojson(nullptr);
    doc["documents"].push_back(std::move(j));
  }
  doc["bands"] = report.bands;
  doc["rows"] = report.rows;
  doc["candidates"] = report.candidates;
  doc["too_short"] = ojson::array();
  for (const auto i : report.too_short) {
    ojson j{{"index", i}};
    j.update(doc_json(docs.at(i)));
    doc["too_short"].push_back(std::move(j));
  }
  doc["pairs"] = ojson::array();
  for (const auto& p : report.pairs) {
    const auto &a = docs.at(p.a), &b = docs.at(p.b);
    ojson j{{"a", p.a},
            {"b", p.b},
            {"unit_a", a.unit},
            {"doc_a", a.title},
            {"source_a", a.source},
            {"unit_b", b.unit},
            {"doc_b", b.title},
            {"source_b", b.source},
            {"jaccard", p.jaccard},
            {"a_in_b", p.a_in_b},
            {"b_in_a", p.b_in_a},
            {"shared", p.shared}};
    j["passages"] = ojson::array();
    for (const auto& s : p.passages)
      j["passages"].push_back(ojson{{"a_begin", s.a_begin},
                                    {"a_end", s.a_end},
                                    {"b_begin", s.b_begin},
                                    {"b_end", s.b_end},
                                    {"chars", s.chars},
                                    {"a_text", std::string(slice(a, s.a_begin, s.a_end))},
                                    {"b_text", std::string(slice(b, s.b_begin, s.b_end))}});
    doc["pairs"].push_back(std::move(j));
  }
  return doc.dump(2) + "\n";
}

// One row per pair, full precision; the longest passage as written in A (empty when none).
std::string similar_csv(const std::vector<tx::document>& docs, const tx::similar_report& report) {
  std::string out =
      "unit_a,doc_a,unit_b,doc_b,jaccard,a_in_b,b_in_a,shared,passages,longest_chars,longest_passage,source_a,"
      "source_b\n";
  for (const auto& p : report.pairs) {
    const auto &a = docs.at(p.a), &b = docs.at(p.b);
    out += cat(csv_field(a.unit), ",", csv_field(a.title), ",", csv_field(b.unit), ",", csv_field(b.title), ",",
               io::format_double(p.jaccard), ",", io::format_double(p.a_in_b), ",", io::format_double(p.b_in_a), ",",
               std::to_string(p.shared), ",", std::to_string(p.passages.size()), ",");
    if (!p.passages.empty()) {
      const auto& s = p.passages.front();
      out += cat(std::to_string(s.chars), ",", csv_field(slice(a, s.a_begin, s.a_end)));
    } else {
      out += ",";
    }
    out += cat(",", csv_field(a.source), ",", csv_field(b.source), "\n");
  }
  return out;
}

// The scorer's CSV `unit,copied_documents` at full precision, as `rectify meetings --inputs`.
std::string inputs_csv(const table& t) {
  std::string out = "unit";
  for (const auto& c : t.columns) out += cat(",", csv_field(c));
  out += "\n";
  for (std::size_t i = 0; i < t.units.size(); ++i) {
    out += csv_field(t.units[i]);
    for (std::size_t j = 0; j < t.columns.size(); ++j)
      out += cat(",", io::format_double(t.values(static_cast<Eigen::Index>(i), static_cast<Eigen::Index>(j))));
    out += "\n";
  }
  return out;
}

// The template's text, checked like a document so that its errors name the file and the place.
std::string read_template(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    raise("rectify.io.open", "", "cannot read the file: it is a folder (the template is one .txt file)", path);
  std::string text = io::read_file(path);
  (void)tx::normalize(text, path);  // throws rectify.text.encoding at path:line:column
  return text;
}

}  // namespace

void similar_command::add_to(CLI::App& app) {
  sub_ = app.add_subcommand("similar", "生搬硬套和抄袭: documents that different units copied from each other");
  sub_->add_option("DOCS", docs_,
                   "a folder of UNIT__TITLE.txt / .md files (UTF-8), or a CSV with columns unit, doc, text")
      ->required();
  sub_->add_option("--threshold", threshold_, "report pairs whose Jaccard similarity is at least this, in (0, 1]");
  sub_->add_option("--template", template_, "a text every unit is meant to quote (a notice): its passages are ignored");
  sub_->add_option("--k", k_, "shingle length in characters after normalisation, 1-64");
  sub_->add_option("--hashes", hashes_, "MinHash signature size, 16-1024 (more: fewer missed pairs, slower)");
  sub_->add_option("--min-passage", min_passage_, "shortest shared passage shown, in characters (at least 1)");
  sub_->add_flag("--same-unit", same_unit_, "also report pairs of documents of the same unit");
  sub_->add_option("--threads", threads_, "worker threads (0: every core)");
  auto* f = sub_->add_option("--format", format_,
                             "table (Chinese headers, the shared passages), json (the full report) or csv (one row "
                             "per pair, full precision)")
                ->check(CLI::IsMember({"table", "json", "csv"}));
  sub_->add_flag("--inputs", inputs_, "print the scorer's inputs as CSV (unit,copied_documents) for `rectify score`")
      ->excludes(f);
  sub_->add_option("--encoding", encoding_, "encoding of a DOCS CSV (the files of a folder are UTF-8)")
      ->check(CLI::IsMember({"utf-8", "gbk", "gb18030"}));
}

int similar_command::run() const {
  // Checked here rather than left to the library, so that a bad option is bad usage (exit 2).
  if (!(threshold_ > 0 && threshold_ <= 1))
    throw usage_error(cat("--threshold ", number_text(threshold_),
                          " is outside (0, 1]: it is the Jaccard similarity a pair must reach (e.g. 0.5)"));
  if (k_ < 1 || k_ > 64) throw usage_error(cat("--k ", std::to_string(k_), " is outside 1-64 (5 suits Chinese)"));
  if (hashes_ < 16 || hashes_ > 1024)
    throw usage_error(cat("--hashes ", std::to_string(hashes_), " is outside 16-1024"));
  if (min_passage_ < 1) throw usage_error("--min-passage must be at least 1 character");

  tx::similar_options options;
  options.threshold = threshold_;
  options.k = k_;
  options.hashes = hashes_;
  options.min_passage = min_passage_;
  options.same_unit = same_unit_;
  options.threads = threads_;
  if (!template_.empty()) options.template_text = read_template(template_);

  io::csv_options copt;
  copt.encoding = encoding_;
  const std::vector<tx::document> docs = io::read_documents(docs_, copt);
  const tx::similar_report report = tx::find_similar(docs, options);

  if (inputs_) return write_stdout(inputs_csv(tx::inputs(report, docs)));
  if (format_ == "json") return write_stdout(similar_json(docs, report, template_));
  if (format_ == "csv") return write_stdout(similar_csv(docs, report));
  return write_stdout(similar_table(docs, report, template_));
}

}  // namespace rectify::cli
