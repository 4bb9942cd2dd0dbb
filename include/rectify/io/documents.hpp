#pragma once
/// Reading the documents that copy detection compares (compliance.md §4): a folder of files named
/// `UNIT__TITLE.txt` / `UNIT__TITLE.md`, or a CSV `unit,doc,text`.
#include <string>
#include <vector>

#include "rectify/io/csv.hpp"
#include "rectify/io/records.hpp"
#include "rectify/text/similar.hpp"

namespace rectify::io {

/// Every `.txt` and `.md` file directly in `folder` (not in subfolders), sorted by file name:
/// the unit is the name before the first `__`, the title the rest without the extension. Other
/// files are ignored. Errors: `rectify.io.open` (the folder or a file cannot be read),
/// `rectify.text.bad_name` (a `.txt`/`.md` file without `__`, or with an empty unit or title),
/// `rectify.text.encoding` (a file that is not UTF-8, naming `file:line:column`),
/// `rectify.text.duplicate_document` (two files give the same unit and title, e.g. `a.txt` and
/// `a.md`), `rectify.text.empty` (no document at all).
[[nodiscard]] std::vector<text::document> read_documents_dir(const std::string& folder);

/// The documents of a CSV with columns `unit`, `doc` and `text` (others ignored), in file order;
/// `source` of each is `file:line:column` of its text. Errors: `rectify.compliance.missing_column`
/// style problems as `rectify.text.missing_column`, `rectify.text.missing_value` (empty unit or
/// doc), `rectify.text.duplicate_document`, `rectify.text.empty`, each naming file:line:column.
[[nodiscard]] std::vector<text::document> read_documents_csv(const text_table& table);

/// A path that is a folder goes to `read_documents_dir`; a file to `read_text_csv_file` and
/// `read_documents_csv`.
[[nodiscard]] std::vector<text::document> read_documents(const std::string& path, const csv_options& options = {});

}  // namespace rectify::io
