#include "rectify/io/documents.hpp"

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <functional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "rectify/core/error.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using rectify::io::read_documents;
using rectify::io::read_documents_csv;
using rectify::io::read_documents_dir;
using rectify::io::read_text_csv;
using rectify::test::message_of;

namespace {

// A fresh folder under the system's temporary one, removed with the object.
class scratch {
 public:
  scratch() {
    std::random_device rd;
    path_ = fs::temp_directory_path() / ("rectify-documents-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path_);
  }
  ~scratch() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  scratch(const scratch&) = delete;
  scratch& operator=(const scratch&) = delete;

  // Writes `bytes` exactly (binary) to the file `name` inside the folder.
  void write(const std::string& name, std::string_view bytes) const {
    fs::create_directories((path_ / name).parent_path());
    std::ofstream out(path_ / name, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    REQUIRE(out.good());
  }
  [[nodiscard]] std::string str() const { return path_.string(); }
  [[nodiscard]] std::string file(const std::string& name) const { return (path_ / name).string(); }

 private:
  fs::path path_;
};

// The codes and sources of the problems `f` throws, one "source [code]" each.
std::vector<std::string> problems_of(const std::function<void()>& f) {
  std::vector<std::string> out;
  try {
    f();
  } catch (const rectify::error& e) {
    for (const auto& p : e.problems()) out.push_back(p.source + " [" + p.code + "]");
  }
  return out;
}

}  // namespace

TEST_CASE("read_documents_dir reads UNIT__TITLE.txt and .md files sorted by name", "[documents]") {
  scratch dir;
  dir.write("二支部__学习情况报告.md", "# 学习情况\n我们认真学习了。\n");
  dir.write("一支部__三会一课总结.txt", "本月召开支部委员会一次。");
  dir.write("一支部__a__b.txt", "title keeps the second __");
  dir.write("说明.pdf", "not a document");
  dir.write("units.csv", "unit\nu1\n");
  dir.write("README", "no extension");
  dir.write("子目录/三支部__总结.txt", "files in subfolders are not read");
  dir.write("._一支部__三会一课总结.txt", "\xFF\xFE hidden macOS resource fork, not UTF-8");
  fs::create_directories(dir.file("四支部__文件夹.txt"));  // a folder that looks like a document

  const auto docs = read_documents_dir(dir.str());
  REQUIRE(docs.size() == 3);
  // Byte order of the names: "一" is E4 B8 80 and "二" E4 BA 8C; "a" sorts before both, and
  // "一支部__a" before "一支部__三" since 'a' < 0xE4.
  CHECK(docs[0].unit == "一支部");
  CHECK(docs[0].title == "a__b");
  CHECK(docs[1].unit == "一支部");
  CHECK(docs[1].title == "三会一课总结");
  CHECK(docs[1].text == "本月召开支部委员会一次。");
  CHECK(docs[1].source == dir.file("一支部__三会一课总结.txt"));
  CHECK(docs[2].unit == "二支部");
  CHECK(docs[2].title == "学习情况报告");
  CHECK(docs[2].text == "# 学习情况\n我们认真学习了。\n");
  CHECK(docs[2].source == dir.file("二支部__学习情况报告.md"));
}

TEST_CASE("read_documents_dir keeps the bytes as they are", "[documents]") {
  scratch dir;
  // A BOM, CRLF line ends and full-width text stay: the passages' byte offsets point into them.
  const std::string text = "\xEF\xBB\xBF第一行，ＡＢ１\r\n第二行\r\n";
  dir.write("u1__t.TXT", text);  // the extension in capitals, as Windows writes it
  const auto docs = read_documents_dir(dir.str());
  REQUIRE(docs.size() == 1);
  CHECK(docs[0].text == text);
  CHECK(docs[0].title == "t");
}

TEST_CASE("read_documents_dir refuses two files for one document", "[documents]") {
  scratch dir;
  dir.write("u1__总结.md", "甲");
  dir.write("u1__总结.txt", "乙");
  const std::string source = dir.file("u1__总结.txt");
  CHECK(message_of([&] { (void)read_documents_dir(dir.str()); }) ==
        source +
            ": [rectify.text.duplicate_document] unit \"u1\" already has a document \"总结\" (u1__总结.md): "
            "rename or remove one of them");
}

TEST_CASE("read_documents_dir names every badly named file at once", "[documents]") {
  scratch dir;
  dir.write("总结.txt", "x");
  dir.write("__总结.txt", "x");
  dir.write("u1__.md", "x");
  dir.write("u2__fine.txt", "x");
  // Sorted: "__总结.txt" ('_' 0x5F), "u1__.md", "u2__fine.txt", "总结.txt" (0xE6).
  const auto got = problems_of([&] { (void)read_documents_dir(dir.str()); });
  CHECK(got == std::vector<std::string>{dir.file("__总结.txt") + " [rectify.text.bad_name]",
                                        dir.file("u1__.md") + " [rectify.text.bad_name]",
                                        dir.file("总结.txt") + " [rectify.text.bad_name]"});
  CHECK(message_of([&] { (void)read_documents_dir(dir.str()); }) ==
        dir.file("__总结.txt") +
            ": [rectify.text.bad_name] the file name \"__总结.txt\" has no unit before \"__\": name it "
            "UNIT__TITLE.txt (e.g. 一支部__三会一课总结.txt)\n" +
            dir.file("u1__.md") +
            ": [rectify.text.bad_name] the file name \"u1__.md\" has no title after \"__\": name it "
            "UNIT__TITLE.txt (e.g. 一支部__三会一课总结.txt)\n" +
            dir.file("总结.txt") +
            ": [rectify.text.bad_name] the file name \"总结.txt\" has no \"__\": name it UNIT__TITLE.txt (e.g. "
            "一支部__三会一课总结.txt)");
}

TEST_CASE("read_documents_dir places invalid UTF-8 at file:line:column", "[documents]") {
  scratch dir;
  // Line 2 holds 第 二 行 a b (five characters) before the lone 0xC3: column 6, in characters.
  dir.write("u1__坏.txt", "第一行\n第二行ab\xC3(\n");
  // CRLF is one line end; the BOM is not a column: 0xFF is on line 2, column 2.
  dir.write("u2__坏.txt", "\xEF\xBB\xBFx\r\ny\xFF");
  // 中文 in GBK (D6 D0 CE C4): the message says what the bytes look like.
  dir.write("u3__gbk.txt", "ok \xD6\xD0\xCE\xC4");
  const auto got = problems_of([&] { (void)read_documents_dir(dir.str()); });
  CHECK(got == std::vector<std::string>{dir.file("u1__坏.txt") + ":2:6 [rectify.text.encoding]",
                                        dir.file("u2__坏.txt") + ":2:2 [rectify.text.encoding]",
                                        dir.file("u3__gbk.txt") + ":1:4 [rectify.text.encoding]"});
  const std::string all = message_of([&] { (void)read_documents_dir(dir.str()); });
  CHECK_THAT(all, Catch::Contains(dir.file("u1__坏.txt") +
                                  ":2:6: [rectify.text.encoding] invalid UTF-8 (byte 0xc3 at offset 21): save the "
                                  "file as UTF-8"));
  CHECK_THAT(all, Catch::Contains(dir.file("u3__gbk.txt") +
                                  ":1:4: [rectify.text.encoding] invalid UTF-8 (byte 0xd6 at offset 3): the file "
                                  "looks like GBK/GB18030; save it as UTF-8"));
}

TEST_CASE("read_documents_dir: an empty folder, a missing one", "[documents]") {
  scratch dir;
  CHECK(message_of([&] { (void)read_documents_dir(dir.str()); }) ==
        dir.str() + ": [rectify.text.empty] no documents: the folder has no UNIT__TITLE.txt or .md file");
  dir.write("notes.docx", "x");
  dir.write("sub/u1__t.txt", "x");
  CHECK(problems_of([&] { (void)read_documents_dir(dir.str()); }) ==
        std::vector<std::string>{dir.str() + " [rectify.text.empty]"});
  const std::string missing = dir.file("nowhere");
  CHECK(problems_of([&] { (void)read_documents_dir(missing); }) ==
        std::vector<std::string>{missing + " [rectify.io.open]"});
}

TEST_CASE("read_documents_csv reads unit, doc and text in file order", "[documents]") {
  const auto t = read_text_csv("extra,unit,doc,text\nx,u2,通知,\"第一段，\n第二段\"\ny,u1,总结,abc\n", "docs.csv");
  const auto docs = read_documents_csv(t);
  REQUIRE(docs.size() == 2);
  CHECK(docs[0].unit == "u2");
  CHECK(docs[0].title == "通知");
  CHECK(docs[0].text == "第一段，\n第二段");
  CHECK(docs[0].source == "docs.csv:2:4");
  CHECK(docs[1].unit == "u1");
  CHECK(docs[1].text == "abc");
  // The record starts on line 4: the quoted field above spans lines 2 and 3.
  CHECK(docs[1].source == "docs.csv:4:4");
}

TEST_CASE("read_documents_csv names missing columns, empty cells and duplicates", "[documents]") {
  CHECK(message_of([] { (void)read_documents_csv(read_text_csv("unit,title,body\nu1,a,b\n", "d.csv")); }) ==
        "d.csv: [rectify.text.missing_column] the header has no column \"doc\" (a documents CSV has the columns "
        "unit, doc, text); its columns are \"unit\", \"title\", \"body\"\n"
        "d.csv: [rectify.text.missing_column] the header has no column \"text\" (a documents CSV has the columns "
        "unit, doc, text); its columns are \"unit\", \"title\", \"body\"");
  const auto t = read_text_csv("unit,doc,text\n,a,x\nu1,,x\nu1,a,x\nu1,a,y\n", "d.csv");
  CHECK(problems_of([&] { (void)read_documents_csv(t); }) ==
        std::vector<std::string>{"d.csv:2:1 [rectify.text.missing_value]", "d.csv:3:2 [rectify.text.missing_value]",
                                 "d.csv:5:2 [rectify.text.duplicate_document]"});
  CHECK_THAT(message_of([&] { (void)read_documents_csv(t); }),
             Catch::Contains("d.csv:5:2: [rectify.text.duplicate_document] unit \"u1\" already has a document \"a\" "
                             "(d.csv:4)"));
  CHECK(message_of([] { (void)read_documents_csv(read_text_csv("unit,doc,text\n", "d.csv")); }) ==
        "d.csv: [rectify.text.empty] no documents: the CSV has a header and no rows");
}

TEST_CASE("read_documents_csv checks the UTF-8 of a table built in memory", "[documents]") {
  rectify::io::text_table t("frame", {"unit", "doc", "text"});
  const std::vector<std::string_view> row = {"u1", "d", "ab\xE4\xB8"};  // a cut-off 一
  t.add_row(row);
  CHECK(message_of([&] { (void)read_documents_csv(t); }) ==
        "frame:row 0:text: [rectify.text.encoding] invalid UTF-8 (byte 0xe4 at offset 2 of the text)");
}

TEST_CASE("read_documents goes to the folder reader or the CSV reader", "[documents]") {
  scratch dir;
  dir.write("docs/u1__a.txt", "甲乙丙");
  dir.write("docs.csv", "unit,doc,text\nu1,a,甲乙丙\n");
  const auto from_dir = read_documents(dir.file("docs"));
  const auto from_csv = read_documents(dir.file("docs.csv"));
  REQUIRE(from_dir.size() == 1);
  REQUIRE(from_csv.size() == 1);
  CHECK(from_dir[0].text == from_csv[0].text);
  CHECK(from_csv[0].source == dir.file("docs.csv") + ":2:3");
  // GBK CSV with the encoding option: 甲 is BC D7 in GBK.
  dir.write("gbk.csv", "unit,doc,text\nu1,a,\xBC\xD7\n");
  rectify::io::csv_options gbk;
  gbk.encoding = "gbk";
  CHECK(read_documents(dir.file("gbk.csv"), gbk).at(0).text == "甲");
  CHECK(problems_of([&] { (void)read_documents(dir.file("nowhere.csv")); }) ==
        std::vector<std::string>{dir.file("nowhere.csv") + " [rectify.io.open]"});
}
