// rectify::join: the scorer's data joined from several unit x input tables on the unit id.
#include <catch2/catch.hpp>
#include <cmath>
#include <vector>

#include "rectify/core/table.hpp"
#include "rectify/io/csv.hpp"
#include "support.hpp"

using rectify::io::read_units_csv;
using rectify::test::message_of;

TEST_CASE("join: units keep first appearance, missing cells are NaN", "[table]") {
  std::vector<rectify::table> parts{read_units_csv("unit,a,b\nu1,1,2\nu2,3,4\n", "units.csv"),
                                    read_units_csv("unit,c\nu2,20\nu3,30\n", "rect.csv")};
  auto t = rectify::join(parts);
  CHECK(t.units == std::vector<std::string>{"u1", "u2", "u3"});
  CHECK(t.columns == std::vector<std::string>{"a", "b", "c"});
  CHECK(t.values(0, 0) == 1);
  CHECK(t.values(1, 1) == 4);
  CHECK(std::isnan(t.values(0, 2)));  // u1 is not in rect.csv
  CHECK(t.values(1, 2) == 20);
  CHECK(std::isnan(t.values(2, 0)));  // u3 is only in rect.csv
  CHECK(t.values(2, 2) == 30);
}

TEST_CASE("join: every cell still names its own file, line and column", "[table]") {
  std::vector<rectify::table> parts{read_units_csv("unit,a,b\nu1,1,2\nu2,3,4\n", "units.csv"),
                                    read_units_csv("c,unit\n\n20,u2\n30,u3\n", "rect.csv")};
  auto t = rectify::join(parts);
  CHECK(t.provenance.place(1, 1) == "units.csv:3:3");
  CHECK(t.provenance.place(1, 2) == "rect.csv:3:1");  // the blank line 2 is skipped, u2 is on line 3
  CHECK(t.provenance.place(2, 2) == "rect.csv:4:1");
  CHECK(t.provenance.place(0, 2).empty());           // u1 has no row in rect.csv
  CHECK(t.provenance.place(2, -1) == "rect.csv:4");  // a whole row: the first file that has it
  CHECK(t.provenance.place(0, -1) == "units.csv:2");
}

TEST_CASE("join: a column in two tables is refused, naming both files", "[table]") {
  std::vector<rectify::table> parts{read_units_csv("unit,a\nu1,1\n", "units.csv"),
                                    read_units_csv("unit,b,a\nu1,2,3\n", "rect.csv")};
  CHECK(message_of([&] { (void)rectify::join(parts); }) ==
        "rect.csv: [rectify.data.duplicate_column] column \"a\" is in both units.csv and rect.csv: an input must "
        "come from one place");
}

TEST_CASE("join: a single table comes back unchanged, an empty list gives an empty table", "[table]") {
  std::vector<rectify::table> one{read_units_csv("unit,a\nu1,1\nu2,\n", "units.csv")};
  auto t = rectify::join(one);
  CHECK(t.units == one[0].units);
  CHECK(t.values(0, 0) == 1);
  CHECK(std::isnan(t.values(1, 0)));
  CHECK(t.provenance.place(1, 0) == "units.csv:3:2");
  auto none = rectify::join(std::vector<rectify::table>{});
  CHECK(none.units.empty());
  CHECK(none.columns.empty());
}
