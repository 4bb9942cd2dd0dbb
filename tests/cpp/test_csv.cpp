#include "rectify/io/csv.hpp"

#include <catch2/catch.hpp>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <random>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "rectify/core/error.hpp"

using namespace std::string_literals;
using namespace std::string_view_literals;
using rectify::io::csv_options;
using rectify::io::read_units_csv;

namespace {

rectify::table parse(std::string_view text, const csv_options& options = {}) {
  return read_units_csv(text, "units.csv", options);
}

csv_options gbk() {
  csv_options o;
  o.encoding = "gbk";
  return o;
}

// The full `what()` of the error reading `text` throws (one line per problem).
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

std::string code_of(std::string_view text, const csv_options& options = {}) {
  try {
    (void)parse(text, options);
  } catch (const rectify::error& e) {
    return e.code();
  }
  return "<no error>";
}

}  // namespace

TEST_CASE("csv: a plain file becomes a unit x input table", "[csv]") {
  const auto t = parse("unit,meetings,attendance\nu1,3,0.95\nu2,,1\nu3,-2,true\n");
  CHECK(t.units == std::vector<std::string>{"u1", "u2", "u3"});
  CHECK(t.columns == std::vector<std::string>{"meetings", "attendance"});
  REQUIRE(t.values.rows() == 3);
  REQUIRE(t.values.cols() == 2);
  CHECK(t.values(0, 0) == 3.0);
  CHECK(t.values(0, 1) == 0.95);
  CHECK(std::isnan(t.values(1, 0)));
  CHECK(t.values(1, 1) == 1.0);
  CHECK(t.values(2, 0) == -2.0);
  CHECK(t.values(2, 1) == 1.0);
  CHECK(t.provenance.source == "units.csv");
  CHECK(t.provenance.row_lines == std::vector<std::size_t>{2, 3, 4});
  CHECK(t.provenance.column_numbers == std::vector<std::size_t>{2, 3});
  const auto v = t.view();
  REQUIRE(v.provenance != nullptr);
  CHECK(v.columns[1][2] == 1.0);
}

TEST_CASE("csv: the unit column may be anywhere, inputs keep header order", "[csv]") {
  const auto t = parse("b,unit,a\n1,u1,2\n");
  CHECK(t.units == std::vector<std::string>{"u1"});
  CHECK(t.columns == std::vector<std::string>{"b", "a"});
  CHECK(t.values(0, 0) == 1.0);
  CHECK(t.values(0, 1) == 2.0);
  CHECK(t.provenance.column_numbers == std::vector<std::size_t>{1, 3});
}

TEST_CASE("csv: a header alone gives a table without units, `unit` alone one without inputs", "[csv]") {
  const auto t = parse("unit,x\n");
  CHECK(t.units.empty());
  CHECK(t.columns == std::vector<std::string>{"x"});
  CHECK(t.values.rows() == 0);
  CHECK(t.values.cols() == 1);
  const auto only = parse("unit\nu1\nu2");
  CHECK(only.units == std::vector<std::string>{"u1", "u2"});
  CHECK(only.columns.empty());
  CHECK(only.values.rows() == 2);
  CHECK(only.values.cols() == 0);
}

TEST_CASE("csv: numbers take a sign, a fraction and an exponent", "[csv]") {
  const auto t = parse(
      "unit,x\na,-1.5e3\nb,+2\nc,.5\nd,5.\ne,1E+05\nf,2.5e-3\ng,-0\nh,007\ni,  3  \nj,\" 4 \"\n"
      "k,\t6\t\n");
  const std::vector<double> want{-1500, 2, 0.5, 5, 1e5, 2.5e-3, 0, 7, 3, 4, 6};
  REQUIRE(t.values.rows() == static_cast<Eigen::Index>(want.size()));
  for (std::size_t i = 0; i < want.size(); ++i) CHECK(t.values(static_cast<Eigen::Index>(i), 0) == want[i]);
  CHECK(std::signbit(t.values(6, 0)));
}

TEST_CASE("csv: true and false read as 1 and 0 in three spellings, empty cells are missing", "[csv]") {
  const auto t = parse("unit,x,y\na,true,false\nb,TRUE,FALSE\nc,True,False\nd,,\"\"\ne,  ,\" \"\n");
  for (Eigen::Index i = 0; i < 3; ++i) {
    CHECK(t.values(i, 0) == 1.0);
    CHECK(t.values(i, 1) == 0.0);
  }
  for (Eigen::Index i = 3; i < 5; ++i) {
    CHECK(std::isnan(t.values(i, 0)));
    CHECK(std::isnan(t.values(i, 1)));
  }
}

TEST_CASE("csv: RFC 4180 quoting", "[csv]") {
  SECTION("a quoted comma") {
    const auto t = parse("unit,x\n\"Smith, J.\",1\n");
    CHECK(t.units == std::vector<std::string>{"Smith, J."});
  }
  SECTION("doubled quotes") {
    const auto t = parse("unit,x\n\"the \"\"red\"\" team\",1\n\"\"\"\",2\n");
    CHECK(t.units == std::vector<std::string>{"the \"red\" team", "\""});
  }
  SECTION("quoted header names and numbers") {
    const auto t = parse("\"unit\",\"a,b\"\n\"u1\",\"12\"\n");
    CHECK(t.columns == std::vector<std::string>{"a,b"});
    CHECK(t.values(0, 0) == 12.0);
  }
  SECTION("spaces around a quoted field and inside its quotes are trimmed") {
    const auto t = parse("unit,x\n  \"  u1 \"  ,  \"1\"  \n");
    CHECK(t.units == std::vector<std::string>{"u1"});
    CHECK(t.values(0, 0) == 1.0);
  }
  SECTION("Chinese ids and names") {
    const auto t = parse("unit,会议次数\n第一支部,3\n");
    CHECK(t.units == std::vector<std::string>{"第一支部"});
    CHECK(t.columns == std::vector<std::string>{"会议次数"});
  }
}

TEST_CASE("csv: line ends, BOM, blank lines and the last line", "[csv]") {
  const std::vector<std::string> units{"u1", "u2"};
  const std::vector<std::size_t> lines{2, 3};
  for (const auto& text :
       {"unit,x\nu1,1\nu2,2\n"s, "unit,x\r\nu1,1\r\nu2,2\r\n"s, "unit,x\ru1,1\ru2,2\r"s, "unit,x\nu1,1\nu2,2"s,
        "unit,x\r\nu1,1\r\nu2,2"s, "unit,x\nu1,1\r\nu2,2\r"s, "\xEF\xBB\xBFunit,x\r\nu1,1\r\nu2,2\r\n"s,
        "unit,x\nu1,1\nu2,2\n\n\n"s, "unit,x\nu1,1\nu2,2\n  \n\t\n"s}) {
    INFO(rectify::quoted(text));
    const auto t = parse(text);
    CHECK(t.units == units);
    CHECK(t.columns == std::vector<std::string>{"x"});
    CHECK(t.values(1, 0) == 2.0);
    CHECK(t.provenance.row_lines == lines);
  }
}

TEST_CASE("csv: blank lines in the middle are skipped but still counted", "[csv]") {
  const auto t = parse("\n\nunit,x\n\nu1,1\r\n\r\n   \nu2,2\r\rU3,3\n");
  CHECK(t.units == std::vector<std::string>{"u1", "u2", "U3"});
  CHECK(t.provenance.row_lines == std::vector<std::size_t>{5, 8, 10});
  CHECK(error_of("unit,x\n\nu1,1\n\n\nu2,zz\n") ==
        "units.csv:6:2: [rectify.data.bad_cell] column \"x\": \"zz\" is not a number, true/false "
        "or empty");
}

TEST_CASE("csv: line breaks inside quotes count as lines", "[csv]") {
  SECTION("records after a quoted newline keep their physical lines") {
    for (const auto& [text, tail] :
         {std::pair{"unit,x\n\"u\n1\",1\nu2,2x\n"s, "\n"s}, std::pair{"unit,x\r\n\"u\r\n1\",1\r\nu2,2x"s, ""s},
          std::pair{"unit,x\r\"u\r1\",1\ru2,2x\r"s, "\r"s}}) {
      INFO(rectify::quoted(text));
      CHECK(error_of(text) ==
            "units.csv:4:2: [rectify.data.bad_cell] column \"x\": \"2x\" is not a number, "
            "true/false or empty");
      const auto good = text.substr(0, text.rfind("2x")) + "2" + tail;
      const auto t = parse(good);
      CHECK(t.units.size() == 2);
      CHECK(t.units[0].front() == 'u');
      CHECK(t.units[0].back() == '1');
      CHECK(t.provenance.row_lines == std::vector<std::size_t>{2, 4});
    }
  }
  SECTION("a field is placed on the line where it starts") {
    CHECK(error_of("unit,x,y\n\"u\n1\",1,\"2\nx\"\n") ==
          "units.csv:3:3: [rectify.data.bad_cell] column \"y\": \"2\\x0ax\" is not a number, "
          "true/false or empty");
  }
  SECTION("a multi-line header") {
    const auto t = parse("unit,\"a\nb\"\nu1,1\n");
    CHECK(t.columns == std::vector<std::string>{"a\nb"});
    CHECK(t.provenance.row_lines == std::vector<std::size_t>{3});
  }
}

TEST_CASE("csv: ids and cells lose surrounding spaces", "[csv]") {
  const auto t = parse("  unit  , x \n  u1  , 1 \n");
  CHECK(t.units == std::vector<std::string>{"u1"});
  CHECK(t.columns == std::vector<std::string>{"x"});
  CHECK(error_of("unit,x\nu1,1\n u1 ,2\n") ==
        "units.csv:3:1: [rectify.data.duplicate_unit] unit \"u1\" appears twice (first at line "
        "2)");
}

TEST_CASE("csv: generated tables read back exactly", "[csv]") {
  std::mt19937_64 rng(20240607);
  std::uniform_real_distribution<double> value(-1e6, 1e6);
  std::uniform_int_distribution<int> pick(0, 9);
  for (int round = 0; round < 20; ++round) {
    const int rows = 1 + pick(rng) * 37;
    const int cols = 1 + pick(rng);
    std::string text = "unit";
    for (int j = 0; j < cols; ++j) text += ",c" + std::to_string(j);
    text += round % 2 ? "\r\n" : "\n";
    Eigen::MatrixXd want(rows, cols);
    for (int i = 0; i < rows; ++i) {
      text += (round % 3 ? "\"u " : "u ") + std::to_string(i) + (round % 3 ? "\"" : "");
      for (int j = 0; j < cols; ++j) {
        text += ',';
        const int kind = pick(rng);
        double x = kind == 0 ? std::nan("") : kind == 1 ? 1.0 : value(rng);
        if (kind == 0) {
        } else if (kind == 1) {
          text += "true";
        } else {
          char buf[64];
          const auto r = std::to_chars(buf, buf + sizeof buf, x);
          text.append(buf, r.ptr);
        }
        want(i, j) = x;
      }
      if (i + 1 < rows || round % 4) text += round % 2 ? "\r\n" : "\n";
    }
    const auto t = parse(text);
    REQUIRE(t.values.rows() == rows);
    REQUIRE(t.values.cols() == cols);
    for (int i = 0; i < rows; ++i) {
      CHECK(t.units[static_cast<std::size_t>(i)] == "u " + std::to_string(i));
      CHECK(t.provenance.row_lines[static_cast<std::size_t>(i)] == static_cast<std::size_t>(i + 2));
      for (int j = 0; j < cols; ++j) {
        if (std::isnan(want(i, j)))
          CHECK(std::isnan(t.values(i, j)));
        else
          CHECK(t.values(i, j) == want(i, j));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Errors, with their messages pinned

TEST_CASE("csv: rectify.data.empty", "[csv]") {
  const std::string msg =
      "units.csv: [rectify.data.empty] the file is empty: expected a header row with a \"unit\" "
      "column";
  CHECK(error_of("") == msg);
  CHECK(error_of("\n\r\n  \n") == msg);
  CHECK(error_of("\xEF\xBB\xBF") == msg);
}

TEST_CASE("csv: rectify.data.binary", "[csv]") {
  CHECK(error_of("PK\x03\x04\x14\x00\x06\x00\x08\x00"sv) ==
        "units.csv: [rectify.data.binary] this is not a text CSV file (NUL byte at line 1); an "
        "Excel workbook? save it as CSV UTF-8");
  CHECK(error_of("unit,x\r\nu1,1\r\nu2,\0\r\n"sv) ==
        "units.csv: [rectify.data.binary] this is not a text CSV file (NUL byte at line 3); an "
        "Excel workbook? save it as CSV UTF-8");
}

TEST_CASE("csv: rectify.data.encoding for GBK and other non-UTF-8 bytes", "[csv]") {
  // "单位" in GBK is B5 A5 CE BB.
  const std::string looks_gbk =
      ": the file looks like GBK/GB18030, as Excel saves CSV on Chinese Windows; read it with "
      "--encoding gbk, or save it from Excel as \"CSV UTF-8\"";
  CHECK(error_of("unit,x\n\xb5\xa5\xce\xbb,1\n") ==
        "units.csv:2:1: [rectify.data.encoding] invalid UTF-8 (byte 0xb5 at offset 7)" + looks_gbk);
  CHECK(error_of("unit,x\nu1,1\nu2,\"2\",\xb5\xa5\xce\xbb\n") ==
        "units.csv:3:3: [rectify.data.encoding] invalid UTF-8 (byte 0xb5 at offset 19)" + looks_gbk);
  SECTION("the offset counts the BOM; the column counts quoted newlines right") {
    CHECK(error_of("\xEF\xBB\xBFunit,\"a\nb\",\xb5\xa5\n") ==
          "units.csv:2:3: [rectify.data.encoding] invalid UTF-8 (byte 0xb5 at offset 14)" + looks_gbk);
  }
  SECTION("bytes that are not GBK either") {
    CHECK(error_of("unit,x\nu1,\xff\n") ==
          "units.csv:2:2: [rectify.data.encoding] invalid UTF-8 (byte 0xff at offset 10), and "
          "not GBK/GB18030 either: save the file as \"CSV UTF-8\"");
  }
  SECTION("malformed UTF-8 is caught: overlong, surrogate, too high, cut short, stray") {
    for (const auto* bad : {"\xc0\xaf", "\xe0\x80\xaf", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xf5\x80\x80\x80",
                            "\xe4\xb8", "\x80", "\xc3"}) {
      INFO(rectify::quoted(bad));
      CHECK(code_of("unit,x\nu" + std::string(bad) + ",1\n") == "rectify.data.encoding");
      CHECK(code_of("unit,x\nu1,1\nu" + std::string(bad)) == "rectify.data.encoding");
    }
    const auto t = parse("unit,x\n\xf0\x9f\x98\x80,1\n\xc3\xa9\xe4\xb8\xad\xef\xbf\xbd,2\n");
    CHECK(t.units == std::vector<std::string>{"\xf0\x9f\x98\x80", "\xc3\xa9\xe4\xb8\xad\xef\xbf\xbd"});
  }
  SECTION("UTF-16") {
    CHECK(error_of("\xff\xfeu\0n\0"sv) ==
          "units.csv: [rectify.data.encoding] the file is UTF-16 text (Excel's \"Unicode "
          "Text\"), not UTF-8: save it as \"CSV UTF-8\"");
  }
}

TEST_CASE("csv: encoding gbk and gb18030 convert with iconv", "[csv]") {
  const std::string text = "unit,\xbb\xe1\xd2\xe9\xb4\xce\xca\xfd\r\n\xb5\xa5\xce\xbb,3\r\n";
  const auto t = parse(text, gbk());
  CHECK(t.units == std::vector<std::string>{"单位"});
  CHECK(t.columns == std::vector<std::string>{"会议次数"});
  CHECK(t.values(0, 0) == 3.0);
  CHECK(t.provenance.row_lines == std::vector<std::size_t>{2});
  csv_options gb18030;
  gb18030.encoding = "GB18030";
  CHECK(parse(text, gb18030).units == t.units);
  SECTION("GB18030's BOM and four-byte sequences") {
    // U+20000 is 95 32 82 36 in GB18030.
    const auto u = parse("\x84\x31\x95\x33unit,x\n\x95\x32\x82\x36,1\n", gb18030);
    CHECK(u.units == std::vector<std::string>{"\xf0\xa0\x80\x80"});
  }
  SECTION("a UTF-8 BOM wins over the option") {
    CHECK(parse("\xEF\xBB\xBFunit,x\n单位,1\n", gbk()).units == std::vector<std::string>{"单位"});
  }
  SECTION("ASCII reads the same either way") {
    CHECK(parse("unit,x\nu1,1\n", gbk()).units == std::vector<std::string>{"u1"});
  }
  SECTION("UTF-8 read as GBK") {
    // "单" is E5 8D 95 in UTF-8; GBK pairs E5 8D and then rejects 95 2C.
    CHECK(error_of("unit,x\n单,1\n", gbk()) ==
          "units.csv:2:1: [rectify.data.encoding] invalid GBK (byte 0x95 at offset 9): the file "
          "looks like UTF-8; read it without --encoding");
    CHECK(error_of("unit,x\nu1,1\xff\n", gbk()) ==
          "units.csv:2:2: [rectify.data.encoding] invalid GBK (byte 0xff at offset 11): save the "
          "file as \"CSV UTF-8\"");
  }
  SECTION("errors after conversion keep their lines") {
    CHECK(error_of("unit,x\n\xb5\xa5\xce\xbb,1\n\xb5\xa5\xce\xbb,2\n", gbk()) ==
          "units.csv:3:1: [rectify.data.duplicate_unit] unit \"单位\" appears twice (first at "
          "line 2)");
  }
}

TEST_CASE("csv: rectify.data.encoding for an unknown encoding name", "[csv]") {
  csv_options o;
  o.encoding = "latin1";
  CHECK(error_of("unit,x\n", o) ==
        "units.csv: [rectify.data.encoding] unknown encoding \"latin1\": use \"utf-8\", \"gbk\" "
        "or \"gb18030\"");
  o.encoding = "UTF8";
  CHECK(parse("unit,x\nu1,1\n", o).units.size() == 1);
}

TEST_CASE("csv: rectify.data.syntax", "[csv]") {
  CHECK(error_of("unit,x\nu1,1\nu\"2,2\n") ==
        "units.csv:3:1: [rectify.data.syntax] malformed CSV: a double quote inside an unquoted "
        "field (quote the field and double the quote: \"say \"\"hi\"\"\")");
  CHECK(error_of("unit,x\nu1,\"1\"2\n") ==
        "units.csv:2:2: [rectify.data.syntax] malformed CSV: text after the closing quote of a "
        "quoted field (a quote inside a quoted field must be doubled: \"say \"\"hi\"\"\")");
  CHECK(error_of("unit,x\n\"a \"b\" c\",1\n") ==
        "units.csv:2:1: [rectify.data.syntax] malformed CSV: text after the closing quote of a "
        "quoted field (a quote inside a quoted field must be doubled: \"say \"\"hi\"\"\")");
  SECTION("an unterminated quote is placed where the field starts") {
    const std::string msg =
        ": [rectify.data.syntax] malformed CSV: the quoted field that starts here is never "
        "closed";
    CHECK(error_of("unit,x\nu1,\"1\n") == "units.csv:2:2" + msg);
    CHECK(error_of("unit,x\nu1,1\n\"u2,2\nu3,3\r\nu4,4") == "units.csv:3:1" + msg);
    CHECK(error_of("unit,\"x") == "units.csv:1:2" + msg);
  }
}

TEST_CASE("csv: rectify.data.no_unit_column", "[csv]") {
  CHECK(error_of("name,x\nu1,1\n") ==
        "units.csv:1: [rectify.data.no_unit_column] the header has no column named \"unit\" for "
        "the unit ids; its columns are \"name\", \"x\"");
  CHECK(error_of("\n\na,b,c,d,e,f,g,h,i,j\n") ==
        "units.csv:3: [rectify.data.no_unit_column] the header has no column named \"unit\" for "
        "the unit ids; its columns are \"a\", \"b\", \"c\", \"d\", \"e\", \"f\", \"g\", \"h\", "
        "...");
  CHECK(error_of("x,Unit\n") ==
        "units.csv:1: [rectify.data.no_unit_column] the header has no column named \"unit\" for "
        "the unit ids; rename \"Unit\" to \"unit\"");
  CHECK(error_of("单位,x\n") ==
        "units.csv:1: [rectify.data.no_unit_column] the header has no column named \"unit\" for "
        "the unit ids; rename \"单位\" to \"unit\"");
}

TEST_CASE("csv: rectify.data.duplicate_column", "[csv]") {
  CHECK(error_of("unit,x,y,x\nu1,1,2,3\n") ==
        "units.csv:1:4: [rectify.data.duplicate_column] column \"x\" appears twice (columns 2 "
        "and 4)");
  CHECK(error_of("unit,x,unit\n") ==
        "units.csv:1:3: [rectify.data.duplicate_column] column \"unit\" appears twice (columns 1 "
        "and 3)");
  CHECK(error_of("unit,, x\n") == "units.csv:1:2: [rectify.data.duplicate_column] column 2 has an empty name");
  CHECK(error_of("unit,x,\n") == "units.csv:1:3: [rectify.data.duplicate_column] column 3 has an empty name");
  CHECK(error_of("unit,\"x\ny\",\"  \"\n") ==
        "units.csv:2:3: [rectify.data.duplicate_column] column 3 has an empty name");
}

TEST_CASE("csv: rectify.data.empty_unit", "[csv]") {
  CHECK(error_of("unit,x\nu1,1\n,2\n") == "units.csv:3:1: [rectify.data.empty_unit] the unit id is empty");
  CHECK(error_of("x,unit\n1,u1\n2,\"  \"\n") == "units.csv:3:2: [rectify.data.empty_unit] the unit id is empty");
}

TEST_CASE("csv: rectify.data.duplicate_unit", "[csv]") {
  CHECK(error_of("unit,x\nu1,1\nu2,2\n\nu1,3\n") ==
        "units.csv:5:1: [rectify.data.duplicate_unit] unit \"u1\" appears twice (first at line "
        "2)");
  CHECK(error_of("x,unit\n1,\"a\nb\"\n2,\"a\nb\"\n") ==
        "units.csv:4:2: [rectify.data.duplicate_unit] unit \"a\\x0ab\" appears twice (first at "
        "line 2)");
  CHECK(parse("unit,x\nu1,1\nU1,2\n").units.size() == 2);  // ids are case-sensitive
}

TEST_CASE("csv: rectify.data.ragged", "[csv]") {
  CHECK(error_of("unit,x,y\nu1,1,2\nu2,1\n") ==
        "units.csv:3: [rectify.data.ragged] the row has 2 fields but the header has 3");
  CHECK(error_of("unit,x\nu1,1,5\n") ==
        "units.csv:2: [rectify.data.ragged] the row has 3 fields but the header has 2 (a comma "
        "inside a cell? put the cell in double quotes)");
  CHECK(error_of("unit,x\nu1,1,\n") ==
        "units.csv:2: [rectify.data.ragged] the row has 3 fields but the header has 2 (a comma "
        "inside a cell? put the cell in double quotes)");
  SECTION("a ragged row is reported as such before its cells") {
    CHECK(code_of("unit,x,y\nu1,abc\n") == "rectify.data.ragged");
    CHECK(code_of("unit,x\n,1,2\n") == "rectify.data.ragged");
    CHECK(code_of("unit,x\nu1,1\nu1,1,2\n") == "rectify.data.ragged");
  }
  SECTION("a row that starts with a multi-line field is placed on its first line") {
    CHECK(error_of("unit,x\n\"u\n1\"\n") ==
          "units.csv:2: [rectify.data.ragged] the row has 1 fields but the header has 2");
  }
}

TEST_CASE("csv: rectify.data.bad_cell", "[csv]") {
  const auto msg = [](std::string_view cell) {
    return "units.csv:2:3: [rectify.data.bad_cell] column \"meetings\": " + rectify::quoted(cell) +
           " is not a number, true/false or empty";
  };
  for (const auto* cell :
       {"3x",  "inf", "-inf", "nan",   "NaN", "infinity", "0x10", "1e", "1e+",  ".",     "-",   "+", "+-1",
        "--1", "++1", "- 1",  "1 000", "yes", "是",       "t",    "T",  "tRUE", "1.2.3", "95%", "１"}) {
    INFO(cell);
    CHECK(error_of("unit,x,meetings\nu1,1," + std::string(cell) + "\n") == msg(cell));
  }
  CHECK(error_of("unit,x,meetings\nu1,1,\"1,5\"\n") ==
        msg("1,5") + " (write numbers without thousands separators and with a decimal point)");
  CHECK(error_of("unit,x,meetings\nu1,1,1e999\n") ==
        "units.csv:2:3: [rectify.data.bad_cell] column \"meetings\": \"1e999\" is out of the "
        "range of a double");
  CHECK(error_of("unit,x,meetings\nu1,1,-1e-999\n") ==
        "units.csv:2:3: [rectify.data.bad_cell] column \"meetings\": \"-1e-999\" is out of the "
        "range of a double");
  SECTION("long cells are cut in the message, at a character boundary") {
    CHECK(error_of("unit,x,meetings\nu1,1,\"" + std::string(59, 'a') + "单位\"\n") ==
          msg(std::string(59, 'a') + "..."));
    CHECK(error_of("unit,x,meetings\nu1,1," + std::string(60, 'b') + "\n") == msg(std::string(60, 'b')));
  }
  SECTION("the first bad cell of the first bad row is reported") {
    CHECK(error_of("unit,x,meetings\nu1,1,2\nu2,a,b\nu3,c,d\n") ==
          "units.csv:3:2: [rectify.data.bad_cell] column \"x\": \"a\" is not a number, "
          "true/false or empty");
  }
}

// ---------------------------------------------------------------------------------------------
// Files

TEST_CASE("csv: read_units_csv_file names the file as given", "[csv]") {
  const auto dir = std::filesystem::temp_directory_path() / "rectify_test_csv";
  std::filesystem::create_directories(dir);
  const auto path = (dir / "units.csv").string();
  {
    std::FILE* f = std::fopen(path.c_str(), "wb");
    REQUIRE(f != nullptr);
    const std::string_view text = "unit,x\r\nu1,1\r\nu2,x\r\n";
    std::fwrite(text.data(), 1, text.size(), f);
    std::fclose(f);
  }
  try {
    (void)rectify::io::read_units_csv_file(path);
    FAIL("no error");
  } catch (const rectify::error& e) {
    CHECK(e.problems().front().source == path + ":3:2");
  }
  const auto missing = (dir / "missing.csv").string();
  try {
    (void)rectify::io::read_units_csv_file(missing);
    FAIL("no error");
  } catch (const rectify::error& e) {
    CHECK(std::string(e.what()) == missing + ": [rectify.io.open] cannot read the file: No such file or directory");
  }
  try {
    (void)rectify::io::read_units_csv_file(dir.string());
    FAIL("no error");
  } catch (const rectify::error& e) {
    CHECK(std::string(e.what()) == dir.string() + ": [rectify.io.open] cannot read the file: Is a directory");
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("csv: each file in tests/data/bad gives its error", "[csv]") {
  const std::string bad = RECTIFY_TEST_DATA "/bad/";
  const std::vector<std::pair<std::string, std::string>> cases{
      {"csv_empty.csv", "rectify.data.empty"},
      {"csv_gbk.csv", "rectify.data.encoding"},
      {"csv_binary.csv", "rectify.data.binary"},
      {"csv_ragged.csv", "rectify.data.ragged"},
      {"csv_duplicate_unit.csv", "rectify.data.duplicate_unit"},
      {"csv_no_unit.csv", "rectify.data.no_unit_column"},
      {"csv_bad_cell.csv", "rectify.data.bad_cell"},
      {"csv_unterminated_quote.csv", "rectify.data.syntax"},
      {"csv_empty_unit.csv", "rectify.data.empty_unit"},
      {"csv_duplicate_column.csv", "rectify.data.duplicate_column"},
  };
  for (const auto& [name, code] : cases) {
    INFO(name);
    try {
      (void)rectify::io::read_units_csv_file(bad + name);
      FAIL("no error");
    } catch (const rectify::error& e) {
      CHECK(e.code() == code);
      CHECK(e.problems().size() == 1);
      CHECK(e.problems().front().source.starts_with(bad + name));
    }
  }
  const auto gbk_file = rectify::io::read_units_csv_file(bad + "csv_gbk.csv", gbk());
  CHECK(gbk_file.units.size() == 2);
}
