#include "rectify/io/documents.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>
#include <string_view>
#include <system_error>
#include <utility>

#include "csv_text.hpp"
#include "rectify/core/error.hpp"

namespace rectify::io {
namespace {

namespace fs = std::filesystem;

bool continuation(char c) noexcept {
  return (static_cast<unsigned char>(c) & 0xC0) == 0x80;
}

// `line:column` of the byte at `offset`: lines end at LF, CRLF or a lone CR (as the CSV readers
// count them); the column counts characters, as an editor's status bar does, not bytes. A
// leading byte-order mark is not a column: editors do not show it.
std::string line_column(std::string_view text, std::size_t offset) {
  std::size_t line = 1, column = 1;
  std::size_t i = text.starts_with(detail::utf8_bom) ? detail::utf8_bom.size() : 0;
  for (; i < offset && i < text.size(); ++i) {
    const char c = text[i];
    if (c == '\n' || (c == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))) {
      ++line;
      column = 1;
    } else if (c != '\r' && !continuation(c)) {
      ++column;
    }
  }
  std::string s = std::to_string(line);
  s += ':';
  s += std::to_string(column);
  return s;
}

// Whether bytes that are not UTF-8 are plausibly GBK/GB18030 (what Notepad and WPS save on
// Chinese Windows): every byte above 0x7F leads a two-byte pair with a valid trail byte, or a
// GB18030 four-byte sequence. A hint for the message only; nothing is converted.
bool looks_like_gbk(std::string_view s) noexcept {
  const auto u = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  for (std::size_t i = 0; i < s.size();) {
    if (u(i) < 0x80) {
      ++i;
    } else if (u(i) >= 0x81 && u(i) <= 0xFE && i + 1 < s.size() &&
               ((u(i + 1) >= 0x40 && u(i + 1) <= 0x7E) || (u(i + 1) >= 0x80 && u(i + 1) <= 0xFE))) {
      i += 2;
    } else if (u(i) >= 0x81 && u(i) <= 0xFE && i + 3 < s.size() && u(i + 1) >= 0x30 && u(i + 1) <= 0x39 &&
               u(i + 2) >= 0x81 && u(i + 2) <= 0xFE && u(i + 3) >= 0x30 && u(i + 3) <= 0x39) {
      i += 4;
    } else {
      return false;
    }
  }
  return true;
}

// The encoding problem of a document's bytes, if any, with advice on what they look like.
std::optional<problem> encoding_problem(std::string_view bytes, const std::string& source) {
  const std::size_t bad = find_invalid_utf8(bytes);
  if (bad == std::string_view::npos) return std::nullopt;
  std::string msg = "invalid UTF-8 (byte ";
  msg += byte_text(static_cast<unsigned char>(bytes[bad]));
  msg += " at offset ";
  msg += std::to_string(bad);
  msg += ")";
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF"))
    msg += ": the file is UTF-16 (Notepad's \"Unicode\"); save it as UTF-8";
  else if (looks_like_gbk(bytes))
    msg += ": the file looks like GBK/GB18030; save it as UTF-8 (e.g. iconv -f gb18030 -t utf-8)";
  else
    msg += ": save the file as UTF-8";
  std::string where = source;
  where += ':';
  where += line_column(bytes, bad);
  return problem{"rectify.text.encoding", "", std::move(msg), std::move(where)};
}

// A file's extension, lower-cased, if it is one of the documents' (`.TXT` from Windows counts).
bool document_extension(const fs::path& name, std::string& ext) {
  ext = name.extension().string();
  for (char& c : ext)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return ext == ".txt" || ext == ".md";
}

// The key two documents must not share. The unit and title are joined by a byte no UTF-8 text
// holds, so that ("a_", "b") and ("a", "_b") stay apart.
std::string key_of(std::string_view unit, std::string_view title) {
  std::string k(unit);
  k += '\xFF';
  k += title;
  return k;
}

// Raises every problem found, the first `kept` of them: a folder of 20,000 files saved in GBK
// should not print 20,000 lines.
void raise_all(std::vector<problem> problems, const std::string& source) {
  constexpr std::size_t kept = 50;
  if (problems.empty()) return;
  if (problems.size() > kept) {
    const std::size_t more = problems.size() - kept;
    problems.resize(kept);
    std::string msg = "... and ";
    msg += std::to_string(more);
    msg += " more problems";
    problems.push_back(problem{"rectify.text.more", "", std::move(msg), source});
  }
  raise(std::move(problems));
}

}  // namespace

std::vector<text::document> read_documents_dir(const std::string& folder) {
  std::error_code ec;
  fs::directory_iterator it(fs::path(folder), ec);
  if (ec) {
    std::string msg = "cannot read the folder: ";
    msg += ec.message();
    raise("rectify.io.open", "", std::move(msg), folder);
  }
  // Sorted by file name so that the order (and the pairs' a < b) does not depend on the file
  // system's directory order.
  std::vector<std::string> names;
  for (const auto end = fs::directory_iterator(); it != end; it.increment(ec)) {
    if (ec) break;
    const fs::path name = it->path().filename();
    std::string ext;
    // Hidden files are skipped: macOS leaves `._NAME.txt` resource forks next to every file
    // copied from it, and editors leave `.NAME.txt.swp` and the like.
    if (name.string().starts_with('.') || !document_extension(name, ext)) continue;
    std::error_code kind;
    if (!it->is_regular_file(kind)) continue;  // a folder named `x.txt`, a broken link
    names.push_back(name.string());
  }
  if (ec) {
    std::string msg = "cannot read the folder: ";
    msg += ec.message();
    raise("rectify.io.open", "", std::move(msg), folder);
  }
  std::sort(names.begin(), names.end());

  std::vector<text::document> docs;
  std::vector<problem> problems;
  std::map<std::string, std::string> seen;  // unit+title -> the file that gave it first
  for (const auto& name : names) {
    const std::string source = (fs::path(folder) / name).string();
    if (find_invalid_utf8(name) != std::string_view::npos) {
      problems.push_back(problem{"rectify.text.bad_name", "",
                                 "the file name is not UTF-8 (unpacked from a zip made on Chinese Windows?): "
                                 "rename it UNIT__TITLE.txt",
                                 source});
      continue;
    }
    const std::string stem = fs::path(name).stem().string();
    const auto sep = stem.find("__");
    if (sep == std::string::npos || sep == 0 || sep + 2 == stem.size()) {
      std::string msg = "the file name ";
      msg += rectify::quoted(name);
      msg += sep == std::string::npos ? " has no \"__\""
                                      : (sep == 0 ? " has no unit before \"__\"" : " has no title after \"__\"");
      msg += ": name it UNIT__TITLE.txt (e.g. 一支部__三会一课总结.txt)";
      problems.push_back(problem{"rectify.text.bad_name", "", std::move(msg), source});
      continue;
    }
    text::document d;
    d.unit = stem.substr(0, sep);
    d.title = stem.substr(sep + 2);
    d.source = source;
    d.text = detail::read_csv_bytes(source);  // binary: the passages' byte offsets are into these bytes
    if (auto p = encoding_problem(d.text, source)) {
      problems.push_back(std::move(*p));
      continue;
    }
    const auto [at, fresh] = seen.emplace(key_of(d.unit, d.title), name);
    if (!fresh) {
      std::string msg = "unit ";
      msg += rectify::quoted(d.unit);
      msg += " already has a document ";
      msg += rectify::quoted(d.title);
      msg += " (";
      msg += at->second;
      msg += "): rename or remove one of them";
      problems.push_back(problem{"rectify.text.duplicate_document", "", std::move(msg), source});
      continue;
    }
    docs.push_back(std::move(d));
  }
  raise_all(std::move(problems), folder);
  if (docs.empty())
    raise("rectify.text.empty", "", "no documents: the folder has no UNIT__TITLE.txt or .md file", folder);
  return docs;
}

std::vector<text::document> read_documents_csv(const text_table& table) {
  std::vector<problem> problems;
  std::ptrdiff_t at[3] = {-1, -1, -1};
  constexpr std::string_view names[3] = {"unit", "doc", "text"};
  for (std::size_t k = 0; k < 3; ++k) {
    at[k] = table.find(names[k]);
    if (at[k] >= 0) continue;
    std::string msg = "the header has no column ";
    msg += rectify::quoted(names[k]);
    msg += " (a documents CSV has the columns unit, doc, text); its columns are ";
    for (std::size_t j = 0; j < table.header().size(); ++j) {
      if (j != 0) msg += ", ";
      msg += detail::shown(table.header()[j]);
    }
    problems.push_back(problem{"rectify.text.missing_column", "", std::move(msg), table.source()});
  }
  if (!problems.empty()) raise(std::move(problems));

  std::vector<text::document> docs;
  docs.reserve(table.rows());
  std::map<std::string, std::size_t> seen;  // unit+doc -> the row that gave it first
  for (std::size_t r = 0; r < table.rows(); ++r) {
    const std::string_view unit = table.field(r, static_cast<std::size_t>(at[0]));
    const std::string_view title = table.field(r, static_cast<std::size_t>(at[1]));
    bool ok = true;
    for (std::size_t k = 0; k < 2; ++k) {
      if (!table.field(r, static_cast<std::size_t>(at[k])).empty()) continue;
      std::string msg = "column ";
      msg += rectify::quoted(names[k]);
      msg += k == 0 ? " is empty: name the unit that filed the document" : " is empty: give the document a title";
      problems.push_back(problem{"rectify.text.missing_value", "", std::move(msg), table.place(r, at[k])});
      ok = false;
    }
    if (!ok) continue;
    const auto [it, fresh] = seen.emplace(key_of(unit, title), r);
    if (!fresh) {
      std::string msg = "unit ";
      msg += rectify::quoted(unit);
      msg += " already has a document ";
      msg += rectify::quoted(title);
      msg += " (";
      msg += table.place(it->second, -1);
      msg += ")";
      problems.push_back(problem{"rectify.text.duplicate_document", "", std::move(msg), table.place(r, at[1])});
      continue;
    }
    // A table built in memory (a DataFrame) was never checked as a file is.
    const std::string_view body = table.field(r, static_cast<std::size_t>(at[2]));
    if (const auto bad = find_invalid_utf8(body); bad != std::string_view::npos) {
      std::string msg = "invalid UTF-8 (byte ";
      msg += byte_text(static_cast<unsigned char>(body[bad]));
      msg += " at offset ";
      msg += std::to_string(bad);
      msg += " of the text)";
      problems.push_back(problem{"rectify.text.encoding", "", std::move(msg), table.place(r, at[2])});
      continue;
    }
    docs.push_back(text::document{std::string(unit), std::string(title), std::string(body), table.place(r, at[2])});
  }
  raise_all(std::move(problems), table.source());
  if (docs.empty()) raise("rectify.text.empty", "", "no documents: the CSV has a header and no rows", table.source());
  return docs;
}

std::vector<text::document> read_documents(const std::string& path, const csv_options& options) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return read_documents_dir(path);
  return read_documents_csv(read_text_csv_file(path, options));
}

}  // namespace rectify::io
