#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>

#include "cli.hpp"
#include "rectify/io/csv.hpp"
#include "rectify/io/results.hpp"

namespace rectify::cli {
namespace {

bool is_blank(char c) noexcept {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) noexcept {
  while (!s.empty() && is_blank(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_blank(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace

int write_stdout(const std::string& text) {
  if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0) {
    std::fprintf(stderr, "rectify: cannot write the output\n");
    return 1;
  }
  return 0;
}

void print_problems(const std::vector<problem>& ps) {
  for (const auto& p : ps) std::fprintf(stderr, "rectify: %s\n", p.str().c_str());
}

std::string place(const std::string& source, std::size_t line, std::size_t column) {
  std::string s = source + ":" + std::to_string(line);
  if (column != 0) s += ":" + std::to_string(column);
  return s;
}

std::vector<csv_row> read_csv_cells(std::string_view text, const std::string& source) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  const std::size_t n = text.size();
  // Line and column of a byte offset, for the encoding errors (found before parsing).
  const auto where = [&](std::size_t offset) {
    std::size_t line = 1, column = 1;
    bool quoted = false;  // a doubled quote toggles twice, so this stays right
    for (std::size_t k = 0; k < offset; ++k) {
      if (text[k] == '\n' || (text[k] == '\r' && (k + 1 >= n || text[k + 1] != '\n'))) {
        ++line;
        if (!quoted) column = 1;
      } else if (text[k] == '"') {
        quoted = !quoted;
      } else if (text[k] == ',' && !quoted) {
        ++column;
      }
    }
    return place(source, line, column);
  };
  if (const auto nul = text.find('\0'); nul != std::string_view::npos)
    raise("rectify.data.binary", "", "this is not a text CSV file (a NUL byte); save it as CSV UTF-8", where(nul));
  if (const auto bad = io::find_invalid_utf8(text); bad != std::string_view::npos)
    raise("rectify.data.encoding", "", "invalid UTF-8: save the file as \"CSV UTF-8\"", where(bad));

  const auto newline = [&](std::size_t k) -> std::size_t {
    if (k >= n) return 0;
    if (text[k] == '\n') return 1;
    if (text[k] == '\r') return k + 1 < n && text[k + 1] == '\n' ? 2 : 1;
    return 0;
  };
  std::vector<csv_row> rows;
  csv_row row;
  std::size_t i = 0, line = 1;
  for (;;) {
    const std::size_t field_line = line;
    const std::size_t column = row.size() + 1;
    while (i < n && is_blank(text[i])) ++i;
    std::string field;
    bool was_quoted = false;
    if (i < n && text[i] == '"') {
      was_quoted = true;
      ++i;
      for (;;) {
        if (i >= n)
          raise("rectify.data.syntax", "", "a quoted field is not closed (a missing \")",
                place(source, field_line, column));
        if (text[i] == '"') {
          if (i + 1 < n && text[i + 1] == '"') {
            field += '"';
            i += 2;
            continue;
          }
          ++i;
          break;
        }
        if (const std::size_t len = newline(i); len > 0) {
          field.append(text.substr(i, len));
          i += len;
          ++line;
          continue;
        }
        field += text[i++];
      }
      while (i < n && is_blank(text[i])) ++i;
      if (i < n && text[i] != ',' && newline(i) == 0)
        raise("rectify.data.syntax", "",
              "text after the closing quote of a field (a quote inside a quoted field is written \"\")",
              place(source, line, column));
    } else {
      while (i < n && text[i] != ',' && newline(i) == 0) {
        if (text[i] == '"')
          raise("rectify.data.syntax", "",
                "a double quote inside an unquoted field: quote the whole field and double the quote",
                place(source, line, column));
        field += text[i++];
      }
    }
    row.push_back(csv_cell{std::string(trim(field)), field_line, column});
    if (i < n && text[i] == ',') {
      ++i;
      continue;
    }
    // The end of a record. A line of nothing but blanks reads as one empty unquoted field.
    if (!(row.size() == 1 && row[0].text.empty() && !was_quoted)) rows.push_back(std::move(row));
    row.clear();
    if (i >= n) break;
    i += newline(i);
    ++line;
  }
  if (rows.empty()) raise("rectify.data.empty", "", "the file is empty: expected a header row", source);
  return rows;
}

bool parse_number(std::string_view s, double& out) {
  s = trim(s);
  if (s.empty()) return false;
  if (s.front() == '+') s.remove_prefix(1);
  // from_chars also takes "inf", "nan" and "infinity": insist on a digit or a point.
  const std::size_t d = !s.empty() && s.front() == '-' ? 1 : 0;
  if (d >= s.size() || !((s[d] >= '0' && s[d] <= '9') || s[d] == '.')) return false;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out, std::chars_format::general);
  return ec == std::errc() && end == s.data() + s.size() && std::isfinite(out);
}

std::vector<std::string> split_list(std::string_view text) {
  std::vector<std::string> items;
  for (;;) {
    const auto comma = text.find(',');
    items.emplace_back(trim(text.substr(0, comma)));
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  return items;
}

std::string fixed(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.starts_with('-') && s.find_first_not_of("-0.") == std::string::npos) s.erase(0, 1);
  return s;
}

std::string rank_text(double rank) {
  return rank == std::floor(rank) ? std::to_string(static_cast<long long>(rank)) : io::format_double(rank);
}

std::string aligned_table(const std::vector<std::string>& head, const std::vector<std::vector<std::string>>& rows,
                          const std::vector<bool>& right) {
  std::vector<std::size_t> width(head.size(), 0);
  for (std::size_t c = 0; c < head.size(); ++c) width[c] = io::display_width(head[c]);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size() && c < width.size(); ++c)
      width[c] = std::max(width[c], io::display_width(row[c]));
  const auto line = [&](const std::vector<std::string>& row) {
    std::string s;
    for (std::size_t c = 0; c < row.size(); ++c) {
      const std::string pad(width[c] - io::display_width(row[c]), ' ');
      if (c > 0) s += "  ";
      s += right[c] ? pad + row[c] : row[c] + pad;
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s + "\n";
  };
  std::string out = line(head);
  for (const auto& row : rows) out += line(row);
  return out;
}

}  // namespace rectify::cli
