// Writing results (scoring.md §7): JSON, CSV, the lost-points CSV and the ranked table, pinned
// in full for a small scheme whose numbers are worked out by hand below.
#include "rectify/io/results.hpp"

#include <catch2/catch.hpp>
#include <cmath>
#include <cstdlib>
#include <limits>
#include <nlohmann/json.hpp>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "rectify/assess/engine.hpp"
#include "rectify/io/csv.hpp"
#include "rectify/io/scheme_json.hpp"

namespace ra = rectify::assess;
using rectify::io::format_double;

namespace {

// 10 points: A (组织, 6, check on a) and B (记录, 4, 1 off per c). Bonus 0.5 per b, capped at 1;
// penalty 通报, 2 per p; veto 严重违纪 on v caps at 差. 优 >= 8 with a quota of 0.34, 良 >= 5, 差.
constexpr std::string_view kScheme = R"({"format":"rectify.scheme/1","id":"t","name":"结果示例","total":10,
  "missing":"zero",
  "indicators":[{"id":"A","name":"组织","points":6,"input":"a","rule":{"type":"check"}},
                {"id":"B","name":"记录","points":4,"deductions":[{"input":"c","per":1,"name":"扣分项"}]}],
  "bonus":{"items":[{"id":"BN","input":"b","per":0.5,"cap":1}]},
  "penalties":[{"id":"P","name":"通报","input":"p","per":2}],
  "vetoes":[{"id":"V","name":"严重违纪","input":"v","max_grade":"差"}],
  "grades":[{"name":"优","min":8,"quota":0.34},{"name":"良","min":5},{"name":"差"}]})";

// u1: A 6, B 4 - 1 = 3 -> base 9, bonus min(1, 0.5 × 2) = 1 -> 10
// u2: base 10, penalty 2 -> 8
// u3: base 10 -> 10, vetoed to 差
// u4: a missing ("zero") -> A 0; B 4 - 2 = 2 -> 2
// 名,字: A 0 (a = 0); B 4 - 5 -> 0 -> 0
// u6: base 10, bonus 0.5 -> 10.5
// Bands: 优 优 优 差 差 优. n = 6: 优 keeps floor(0.34 × 6 + 1e-9) = 2 of u6 (10.5), u1 (10),
// u2 (8) once u3 is vetoed: u2 moves to 良. Ranks: u6 1, u1 and u3 2, u2 4, u4 5, 名,字 6.
constexpr std::string_view kUnits =
    "unit,a,c,v,b,p\n"
    "u1,1,1,0,2,0\n"
    "u2,1,0,0,0,1\n"
    "u3,1,0,1,0,0\n"
    "u4,,2,0,0,0\n"
    "\"名,字\",0,5,0,0,0\n"
    "u6,1,0,0,1,0\n";

struct fixture {
  ra::plan plan = ra::compile(rectify::io::load_scheme(kScheme, "s.json"));
  rectify::table data;
  rectify::table_view view;
  ra::result result;
  explicit fixture(std::string_view units = kUnits, const ra::score_options& o = {})
      : data(rectify::io::read_units_csv(units, "units.csv")), view(data.view()), result(ra::score(plan, view, o)) {}
};

}  // namespace

TEST_CASE("results: format_double gives the shortest text that reads back", "[results]") {
  CHECK(format_double(0.1) == "0.1");
  CHECK(format_double(87.5) == "87.5");
  CHECK(format_double(100) == "100");
  CHECK(format_double(1e-300) == "1e-300");
  CHECK(format_double(-2.5) == "-2.5");
  CHECK(format_double(1.0 / 3) == "0.3333333333333333");
  CHECK(format_double(0.0) == "0");
  CHECK(format_double(-0.0) == "0");                                       // no "-0" in a table of scores
  CHECK(format_double(std::numeric_limits<double>::quiet_NaN()).empty());  // a dropped node: empty cell
  std::mt19937_64 rng(42);
  std::uniform_real_distribution<double> mant(-1, 1);
  std::uniform_int_distribution<int> ex(-300, 300);
  for (int i = 0; i < 2000; ++i) {
    const double v = std::ldexp(mant(rng), ex(rng) / 4);
    const auto s = format_double(v);
    INFO(s);
    CHECK(std::strtod(s.c_str(), nullptr) == v);
  }
}

TEST_CASE("results: display_width counts East Asian wide characters as 2", "[results]") {
  using rectify::io::display_width;
  CHECK(display_width("") == 0);
  CHECK(display_width("abc") == 3);
  CHECK(display_width("优秀") == 4);
  CHECK(display_width("a优b") == 4);
  CHECK(display_width("“三会一课”") == 10);  // curly quotes are ambiguous-width, counted 1; 三会一课 8
  CHECK(display_width("（满分）") == 8);     // fullwidth parentheses
  CHECK(display_width("e\xcc\x81") == 1);    // e + combining acute
  CHECK(display_width("한글") == 4);
}

TEST_CASE("results: result_csv writes one row per unit in input order, full precision", "[results]") {
  const fixture f;
  CHECK(rectify::io::result_csv(f.plan, f.view, f.result) ==
        "unit,score,base,bonus,penalty,band,grade,rank,A,B\n"
        "u1,10,9,1,0,优,优,2,6,3\n"
        "u2,8,10,0,2,优,良,4,6,4\n"
        "u3,10,10,0,0,优,差,2,6,4\n"
        "u4,2,2,0,0,差,差,5,0,2\n"
        "\"名,字\",0,0,0,0,差,差,6,0,0\n"
        "u6,10.5,10,0.5,0,优,优,1,6,4\n");
  // Without nodes, the node columns are left out.
  const fixture lean(kUnits, ra::score_options{false});
  CHECK(rectify::io::result_csv(lean.plan, lean.view, lean.result) ==
        "unit,score,base,bonus,penalty,band,grade,rank\n"
        "u1,10,9,1,0,优,优,2\n"
        "u2,8,10,0,2,优,良,4\n"
        "u3,10,10,0,0,优,差,2\n"
        "u4,2,2,0,0,差,差,5\n"
        "\"名,字\",0,0,0,0,差,差,6\n"
        "u6,10.5,10,0.5,0,优,优,1\n");
}

TEST_CASE("results: lost_csv lists the lost points by unit in rank order", "[results]") {
  const fixture f;
  // Rank order: u6 (nothing lost), u1, u3 (nothing), u2, u4, 名,字. Fields with commas are quoted.
  CHECK(rectify::io::lost_csv(f.plan, f.view, f.result) ==
        "unit,node,points,why\n"
        "u1,B,1,扣分项 1 次 × 1 分 = −1\n"
        "u2,P,2,通报 1 次 × 2 分 = −2\n"
        "u4,A,6,\"组织:缺少数据 a,按 0 分计 = −6\"\n"
        "u4,B,2,扣分项 2 次 × 1 分 = −2\n"
        "\"名,字\",A,6,\"组织:实际 0,得分率 0%(满分 6 分)= −6\"\n"
        "\"名,字\",B,5,扣分项 5 次 × 1 分 = −5\n"
        "\"名,字\",B,-1,\"记录:扣完为止,本项最多扣 4 分 = +1\"\n");
  CHECK(rectify::io::lost_csv(f.plan, f.view, f.result, ra::lang::en) ==
        "unit,node,points,why\n"
        "u1,B,1,扣分项 1 × 1 = -1\n"
        "u2,P,2,通报 1 × 2 = -2\n"
        "u4,A,6,\"组织: no value for a, scored 0 = -6\"\n"
        "u4,B,2,扣分项 2 × 1 = -2\n"
        "\"名,字\",A,6,\"组织: value 0, 0% of 6 points = -6\"\n"
        "\"名,字\",B,5,扣分项 5 × 1 = -5\n"
        "\"名,字\",B,-1,\"记录: floored at 0, at most 4 points lost here = +1\"\n");
}

TEST_CASE("results: result_table is ranked, rounded and aligned for Chinese text", "[results]") {
  const fixture f;
  CHECK(rectify::io::result_table(f.plan, f.view, f.result, false) ==
        "考核方案 t 结果示例\n"
        "排名  单位    得分  基础分  加分  直接扣分  档次  等级  说明\n"
        "   1  u6     10.50   10.00  0.50      0.00  优    优\n"
        "   2  u1     10.00    9.00  1.00      0.00  优    优\n"
        "   2  u3     10.00   10.00  0.00      0.00  优    差    一票否决:严重违纪\n"
        "   4  u2      8.00   10.00  0.00      2.00  优    良    受名额限制降档\n"
        "   5  u4      2.00    2.00  0.00      0.00  差    差    缺数据:a\n"
        "   6  名,字   0.00    0.00  0.00      0.00  差    差\n");
  CHECK(rectify::io::result_table(f.plan, f.view, f.result, false, ra::lang::en) ==
        "scheme t 结果示例\n"
        "rank  unit   score   base  bonus  penalty  band  grade  notes\n"
        "   1  u6     10.50  10.00   0.50     0.00  优    优\n"
        "   2  u1     10.00   9.00   1.00     0.00  优    优\n"
        "   2  u3     10.00  10.00   0.00     0.00  优    差     veto: 严重违纪\n"
        "   4  u2      8.00  10.00   0.00     2.00  优    良     moved down by a quota\n"
        "   5  u4      2.00   2.00   0.00     0.00  差    差     missing: a\n"
        "   6  名,字   0.00   0.00   0.00     0.00  差    差\n");
  // With explanations, each unit's lost points follow its row.
  const auto explained = rectify::io::result_table(f.plan, f.view, f.result, true);
  CHECK(explained.find("   5  u4      2.00    2.00  0.00      0.00  差    差    缺数据:a\n"
                       "      A  组织:缺少数据 a,按 0 分计 = −6\n"
                       "      B  扣分项 2 次 × 1 分 = −2\n"
                       "   6  名,字") != std::string::npos);
}

TEST_CASE("results: result_json pinned for two units", "[results]") {
  // u1 and u4 alone: n = 2, so 优 keeps floor(0.34 × 2 + 1e-9) = 0 units and u1 is 良.
  const fixture f("unit,a,c,v,b,p\nu1,1,1,0,2,0\nu4,,2,0,0,0\n");
  CHECK(rectify::io::result_json(f.plan, f.view, f.result) == R"({
  "scheme": "t",
  "units": [
    {
      "unit": "u1",
      "score": 10.0,
      "base": 9.0,
      "bonus": 1.0,
      "penalty": 0.0,
      "band": "优",
      "grade": "良",
      "rank": 1,
      "vetoes": [],
      "missing": [],
      "nodes": {
        "A": 6.0,
        "B": 3.0
      },
      "lost": [
        {
          "node": "B",
          "points": 1.0,
          "why": "扣分项 1 次 × 1 分 = −1"
        }
      ]
    },
    {
      "unit": "u4",
      "score": 2.0,
      "base": 2.0,
      "bonus": 0.0,
      "penalty": 0.0,
      "band": "差",
      "grade": "差",
      "rank": 2,
      "vetoes": [],
      "missing": [
        "a"
      ],
      "nodes": {
        "A": 0.0,
        "B": 2.0
      },
      "lost": [
        {
          "node": "A",
          "points": 6.0,
          "why": "组织:缺少数据 a,按 0 分计 = −6"
        },
        {
          "node": "B",
          "points": 2.0,
          "why": "扣分项 2 次 × 1 分 = −2"
        }
      ]
    }
  ]
}
)");
}

TEST_CASE("results: result_json holds every unit in input order with full-precision numbers", "[results]") {
  const fixture f;
  const auto doc = nlohmann::json::parse(rectify::io::result_json(f.plan, f.view, f.result));
  REQUIRE(doc["units"].size() == 6);
  const std::vector<std::string> names{"u1", "u2", "u3", "u4", "名,字", "u6"};
  const std::vector<double> score{10, 8, 10, 2, 0, 10.5};
  const std::vector<int> rank{2, 4, 2, 5, 6, 1};
  const std::vector<std::string> grade{"优", "良", "差", "差", "差", "优"};
  for (std::size_t i = 0; i < 6; ++i) {
    const auto& u = doc["units"][i];
    CHECK(u["unit"] == names[i]);
    CHECK(u["score"].get<double>() == score[i]);
    CHECK(u["rank"] == rank[i]);
    CHECK(u["grade"] == grade[i]);
  }
  CHECK(doc["units"][2]["vetoes"] == nlohmann::json::array({"V"}));
  CHECK(doc["units"][1]["lost"][0]["node"] == "P");
  // A third of a point survives the trip exactly.
  const auto thirds = ra::compile(rectify::io::load_scheme(
      R"({"format":"rectify.scheme/1","id":"t","total":1,"indicators":[
          {"id":"a","points":1,"input":"x","rule":{"type":"linear","worst":0,"best":3}}],"grades":[{"name":"all"}]})",
      "s.json"));
  const auto t = rectify::io::read_units_csv("unit,x\nu1,1\n", "units.csv");
  const auto r = ra::score(thirds, t.view());
  const auto j = nlohmann::json::parse(rectify::io::result_json(thirds, t.view(), r));
  CHECK(j["units"][0]["score"].get<double>() == r.score[0]);
  CHECK(j["units"][0]["score"].get<double>() == Approx(1.0 / 3));
}

TEST_CASE("results: a node dropped under reweight is left out of JSON and empty in CSV", "[results]") {
  const auto plan = ra::compile(rectify::io::load_scheme(
      R"({"format":"rectify.scheme/1","id":"t","total":10,"missing":"reweight","indicators":[
          {"id":"A","points":6,"input":"a","rule":{"type":"check"}},
          {"id":"B","points":4,"input":"b","rule":{"type":"check"}}],"grades":[{"name":"all"}]})",
      "s.json"));
  const auto t = rectify::io::read_units_csv("unit,a,b\nu1,,1\n", "units.csv");
  const auto r = ra::score(plan, t.view());
  // A dropped: B carries all 10 points.
  CHECK(rectify::io::result_csv(plan, t.view(), r) ==
        "unit,score,base,bonus,penalty,band,grade,rank,A,B\nu1,10,10,0,0,all,all,1,,10\n");
  const auto j = nlohmann::json::parse(rectify::io::result_json(plan, t.view(), r));
  CHECK(j["units"][0]["nodes"] == nlohmann::json{{"B", 10.0}});
  CHECK(j["units"][0]["missing"] == nlohmann::json::array({"a"}));
  CHECK(j["units"][0]["lost"].empty());
}
