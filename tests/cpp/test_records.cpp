#include "rectify/io/records.hpp"

#include <catch2/catch.hpp>
#include <cstdio>
#include <filesystem>
#include <random>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "rectify/core/error.hpp"

using namespace std::string_literals;
using rectify::io::csv_options;
using rectify::io::read_text_csv;
using rectify::io::text_table;

namespace {

text_table parse(std::string_view text, const csv_options& options = {}) {
  return read_text_csv(text, "m.csv", options);
}

// The one problem reading `text` throws, as `what()` shows it.
std::string error_of(std::string_view text, const csv_options& options = {}) {
  try {
    (void)parse(text, options);
  } catch (const rectify::error& e) {
    REQUIRE(e.problems().size() == 1);
    CHECK(e.path().empty());
    return e.what();
  }
  return "<no error>";
}

std::vector<std::string> row_of(const text_table& t, std::size_t r) {
  std::vector<std::string> out;
  for (std::size_t c = 0; c < t.columns(); ++c) out.emplace_back(t.field(r, c));
  return out;
}

}  // namespace

TEST_CASE("records: a plain file keeps every field as text with its line", "[records]") {
  const auto t = parse("branch,type,date\nb1,党课,2026-03-05\nb2,支委会,2026-04-01\n");
  CHECK(t.source() == "m.csv");
  CHECK(t.header() == std::vector<std::string>{"branch", "type", "date"});
  REQUIRE(t.rows() == 2);
  CHECK(t.columns() == 3);
  CHECK(row_of(t, 0) == std::vector<std::string>{"b1", "党课", "2026-03-05"});
  CHECK(row_of(t, 1) == std::vector<std::string>{"b2", "支委会", "2026-04-01"});
  CHECK(t.line(0) == 2);
  CHECK(t.line(1) == 3);
  CHECK(t.find("type") == 1);
  CHECK(t.find("Type") == -1);
  CHECK(t.find("") == -1);
  CHECK(t.place(1, 2) == "m.csv:3:3");
  CHECK(t.place(0, 0) == "m.csv:2:1");
  CHECK(t.place(1, -1) == "m.csv:3");
}

TEST_CASE("records: a header alone gives no rows; cells stay text, numbers included", "[records]") {
  const auto t = parse("a,b\n");
  CHECK(t.rows() == 0);
  CHECK(t.columns() == 2);
  const auto u = parse("n,x\n007,1e3\n");
  CHECK(row_of(u, 0) == std::vector<std::string>{"007", "1e3"});
}

TEST_CASE("records: BOM, CRLF, a lone CR and a last line without a break", "[records]") {
  const auto t = parse(
      "\xEF\xBB\xBF"
      "a,b\r\n1,2\r\n3,4");
  CHECK(t.header() == std::vector<std::string>{"a", "b"});
  REQUIRE(t.rows() == 2);
  CHECK(row_of(t, 1) == std::vector<std::string>{"3", "4"});
  CHECK(t.line(0) == 2);
  CHECK(t.line(1) == 3);
  const auto cr = parse("a,b\r1,2\r3,4\r");
  REQUIRE(cr.rows() == 2);
  CHECK(cr.line(1) == 3);
  CHECK(cr.place(1, 1) == "m.csv:3:2");
}

TEST_CASE("records: blank lines are skipped wherever they are but still counted", "[records]") {
  // Lines: 1 and 2 blank, 3 header, 4 blank, 5 spaces and a tab, 6 a record, 7 blank, 8 a record.
  const auto t = parse("\n\na,b\n\n  \t\n1,2\n\n3,4\n\n");
  CHECK(t.header() == std::vector<std::string>{"a", "b"});
  REQUIRE(t.rows() == 2);
  CHECK(t.line(0) == 6);
  CHECK(t.line(1) == 8);
  CHECK(t.place(1, 0) == "m.csv:8:1");
}

TEST_CASE("records: fields lose surrounding spaces and tabs, quoted ones keep their inside", "[records]") {
  const auto t = parse("  a , b\t\n  x ,\"y, z\"\n\" \",\"say \"\"hi\"\"\"\n");
  CHECK(t.header() == std::vector<std::string>{"a", "b"});
  CHECK(row_of(t, 0) == std::vector<std::string>{"x", "y, z"});
  CHECK(row_of(t, 1) == std::vector<std::string>{"", "say \"hi\""});
}

TEST_CASE("records: a quoted field that spans lines moves the fields after it", "[records]") {
  // Line 1 header; the first record starts on line 2, its first field ends on line 3, where the
  // second field starts; the third field starts on line 3 and ends on line 5; the next record
  // is on line 6.
  const auto t = parse("a,b,c\n\"x\ny\",2,\"p\nq\nr\"\n5,6,7\n");
  REQUIRE(t.rows() == 2);
  CHECK(row_of(t, 0) == std::vector<std::string>{"x\ny", "2", "p\nq\nr"});
  CHECK(t.line(0) == 2);
  CHECK(t.line(1) == 6);
  CHECK(t.place(0, 0) == "m.csv:2:1");
  CHECK(t.place(0, 1) == "m.csv:3:2");
  CHECK(t.place(0, 2) == "m.csv:3:3");
  CHECK(t.place(0, -1) == "m.csv:2");
  CHECK(t.place(1, 2) == "m.csv:6:3");

  // A field in the middle that spans lines; rows before and after it do not.
  const auto u = parse("a,b,c\n1,2,3\n4,\"five\r\nlines\r\nlater\",6\r\n7,8,9\r\n");
  REQUIRE(u.rows() == 3);
  CHECK(u.field(1, 1) == "five\r\nlines\r\nlater");
  CHECK(u.place(0, 2) == "m.csv:2:3");
  CHECK(u.place(1, 1) == "m.csv:3:2");
  CHECK(u.place(1, 2) == "m.csv:5:3");
  CHECK(u.place(2, 0) == "m.csv:6:1");
  CHECK(u.place(2, 2) == "m.csv:6:3");

  // The header's own names may span lines too: the records' lines count them.
  const auto h = parse("\"a\nb\",c\n1,2\n");
  CHECK(h.header() == std::vector<std::string>{"a\nb", "c"});
  CHECK(h.line(0) == 3);
}

TEST_CASE("records: field lines of many generated records", "[records]") {
  // Records of 4 fields where some fields hold line breaks; the line of every field is known
  // from how the text was built.
  std::mt19937 rng(5);
  std::uniform_int_distribution<int> breaks(0, 2), blank(0, 5);
  std::string text = "w,x,y,z\n";
  std::size_t line = 2;
  std::vector<std::vector<std::size_t>> expected;  // per record, per field
  std::vector<std::vector<std::string>> values;
  for (int r = 0; r < 500; ++r) {
    if (blank(rng) == 0) {
      text += "\n";
      ++line;
    }
    std::vector<std::size_t> lines;
    std::vector<std::string> row;
    for (int c = 0; c < 4; ++c) {
      lines.push_back(line);
      // Built with += : GCC 12 at -O3 warns (-Wrestrict), wrongly, on "literal" + std::string.
      std::string v = "r";
      v += std::to_string(r);
      v += 'c';
      v += std::to_string(c);
      const int n = r % 3 == 0 ? breaks(rng) : 0;
      for (int k = 0; k < n; ++k) v += "\nmore";
      line += static_cast<std::size_t>(n);
      row.push_back(v);
      if (c > 0) text += ',';
      if (n > 0) {
        text += '"';
        text += v;
        text += '"';
      } else {
        text += v;
      }
    }
    text += '\n';
    ++line;
    expected.push_back(lines);
    values.push_back(row);
  }
  const auto t = parse(text);
  REQUIRE(t.rows() == 500);
  for (std::size_t r = 0; r < t.rows(); ++r) {
    CHECK(row_of(t, r) == values[r]);
    CHECK(t.line(r) == expected[r][0]);
    for (std::size_t c = 0; c < 4; ++c) {
      std::string where = "m.csv:";
      where += std::to_string(expected[r][c]);
      where += ':';
      where += std::to_string(c + 1);
      CHECK(t.place(r, static_cast<std::ptrdiff_t>(c)) == where);
    }
  }
}

TEST_CASE("records: rectify.data.ragged names the record's line", "[records]") {
  CHECK(error_of("a,b\n1,2\n1,2,3\n") ==
        "m.csv:3: [rectify.data.ragged] the row has 3 fields but the header has 2 (a comma inside a cell? put "
        "the cell in double quotes)");
  CHECK(error_of("a,b\n1\n") == "m.csv:2: [rectify.data.ragged] the row has 1 fields but the header has 2");
  // A record after a multi-line field: its own first line.
  CHECK(error_of("a,b\n\"1\n2\",3\n4\n") == "m.csv:4: [rectify.data.ragged] the row has 1 fields but the header has 2");
}

TEST_CASE("records: header names must be non-empty and distinct", "[records]") {
  CHECK(error_of("a,b,a\n1,2,3\n") ==
        "m.csv:1:3: [rectify.data.duplicate_column] column \"a\" appears twice (columns 1 and 3)");
  CHECK(error_of("a, b ,b\n") ==
        "m.csv:1:3: [rectify.data.duplicate_column] column \"b\" appears twice (columns 2 and 3)");
  CHECK(error_of("a,,b\n") == "m.csv:1:2: [rectify.data.duplicate_column] column 2 has an empty name");
  CHECK(error_of("\n a ,\"\"\n") == "m.csv:2:2: [rectify.data.duplicate_column] column 2 has an empty name");
}

TEST_CASE("records: an empty file, syntax errors", "[records]") {
  CHECK(error_of("") == "m.csv: [rectify.data.empty] the file is empty: expected a header row naming the columns");
  CHECK(error_of("\n \t\r\n\n") ==
        "m.csv: [rectify.data.empty] the file is empty: expected a header row naming the columns");
  CHECK(error_of("\xEF\xBB\xBF") ==
        "m.csv: [rectify.data.empty] the file is empty: expected a header row naming the columns");
  CHECK(error_of("a,b\n1,x\"y\"\n") ==
        "m.csv:2:2: [rectify.data.syntax] malformed CSV: a double quote inside an unquoted field (quote the field "
        "and double the quote: \"say \"\"hi\"\"\")");
  CHECK(error_of("a,b\n\"1\"x,2\n") ==
        "m.csv:2:1: [rectify.data.syntax] malformed CSV: text after the closing quote of a quoted field (a quote "
        "inside a quoted field must be doubled: \"say \"\"hi\"\"\")");
  CHECK(error_of("a,b\n1,\"open\nstill open\n") ==
        "m.csv:2:2: [rectify.data.syntax] malformed CSV: the quoted field that starts here is never closed");
}

TEST_CASE("records: GBK files, UTF-16, NUL bytes and bad UTF-8", "[records]") {
  // "单位,类型\nb1,党课\n" in GBK: 单 B5A5, 位 CEBB, 类 C0E0, 型 D0CD, 党 B5B3, 课 BFCE.
  const std::string gbk_text = "\xB5\xA5\xCE\xBB,\xC0\xE0\xD0\xCD\nb1,\xB5\xB3\xBF\xCE\n";
  csv_options gbk;
  gbk.encoding = "GBK";
  const auto t = parse(gbk_text, gbk);
  CHECK(t.header() == std::vector<std::string>{"单位", "类型"});
  CHECK(row_of(t, 0) == std::vector<std::string>{"b1", "党课"});
  CHECK(t.place(0, 1) == "m.csv:2:2");
  // The same bytes read as UTF-8: the first bad byte is 单's B5 at offset 0, line 1, field 1.
  CHECK(error_of(gbk_text) ==
        "m.csv:1:1: [rectify.data.encoding] invalid UTF-8 (byte 0xb5 at offset 0): the file looks like "
        "GBK/GB18030, as Excel saves CSV on Chinese Windows; read it with --encoding gbk, or save it from Excel as "
        "\"CSV UTF-8\"");
  // A bad byte in the second field of line 2: "a,b\n" is 4 bytes and "x," 2 more, so it is at
  // offset 6.
  CHECK(error_of("a,b\nx,\xFF\n") ==
        "m.csv:2:2: [rectify.data.encoding] invalid UTF-8 (byte 0xff at offset 6), and not GBK/GB18030 either: "
        "save the file as \"CSV UTF-8\"");
  CHECK(error_of("\xFF\xFE"
                 "a\0,\0"s) ==
        "m.csv: [rectify.data.encoding] the file is UTF-16 text (Excel's \"Unicode Text\"), not UTF-8: save it as "
        "\"CSV UTF-8\"");
  CHECK(error_of("a,b\n1,2\n\0\0"s) ==
        "m.csv: [rectify.data.binary] this is not a text CSV file (NUL byte at line 3); an Excel workbook? save "
        "it as CSV UTF-8");
  csv_options latin;
  latin.encoding = "latin1";
  CHECK(error_of("a\n", latin) ==
        "m.csv: [rectify.data.encoding] unknown encoding \"latin1\": use \"utf-8\", \"gbk\" or \"gb18030\"");
}

TEST_CASE("records: reading a file, and a file that cannot be read", "[records]") {
  const auto path = (std::filesystem::temp_directory_path() / "rectify_test_records.csv").string();
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f != nullptr);
    const std::string text = "branch,type\nb1,党课\n";
    REQUIRE(std::fwrite(text.data(), 1, text.size(), f) == text.size());
    std::fclose(f);
  }
  const auto t = rectify::io::read_text_csv_file(path);
  std::filesystem::remove(path);
  CHECK(t.source() == path);
  CHECK(t.place(0, 1) == path + ":2:2");
  try {
    (void)rectify::io::read_text_csv_file(path);
    FAIL("no error");
  } catch (const rectify::error& e) {
    CHECK(e.code() == "rectify.io.open");
    CHECK(e.problems().front().source == path);
  }
}

TEST_CASE("records: tables built in memory place fields by row number and column name", "[records]") {
  text_table t("df", {"branch", "type"});
  const std::vector<std::string_view> r1{"b1", "党课"}, r2{"b2", ""};
  t.add_row(r1);
  t.add_row(r2, 7);
  CHECK(t.source() == "df");
  REQUIRE(t.rows() == 2);
  CHECK(row_of(t, 1) == std::vector<std::string>{"b2", ""});
  CHECK(t.line(0) == 0);
  CHECK(t.place(0, 1) == "df:row 0:type");
  CHECK(t.place(1, 0) == "df:row 1:branch");  // a line given to an in-memory table is not a file line
  CHECK(t.place(1, -1) == "df:row 1");
  const std::vector<std::string_view> wrong{"b3"};
  CHECK_THROWS_AS(t.add_row(wrong), std::invalid_argument);
  CHECK(t.rows() == 2);
  // Empty tables, and a table with no columns at all.
  const text_table none;
  CHECK(none.rows() == 0);
  CHECK(none.find("x") == -1);
}
