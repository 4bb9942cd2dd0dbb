#pragma once
// The record-file reader behind the compliance targets: reads the bytes as UTF-8 (and GB18030)
// and checks the text table's shape and the places it names.
#include <algorithm>
#include <cmath>
#include <functional>
#include <initializer_list>
#include <string>

#include "fuzz_common.hpp"
#include "rectify/io/records.hpp"

namespace rectify::fuzz {

/// Reads `text` as a record CSV in both encodings and gives each table that reads to `then`.
inline void for_each_text_table(std::string_view text, const std::function<void(io::text_table)>& then) {
  for (const char* encoding : {"utf-8", "gb18030"}) {
    io::csv_options options;
    options.encoding = encoding;
    io::text_table t;
    if (!accepted([&] { t = io::read_text_csv(text, "fuzz.csv", options); })) continue;
    RECTIFY_FUZZ_CHECK(t.columns() > 0);
    for (std::size_t j = 0; j < t.columns(); ++j) {
      RECTIFY_FUZZ_CHECK(!t.header()[j].empty());
      RECTIFY_FUZZ_CHECK(t.find(t.header()[j]) == static_cast<std::ptrdiff_t>(j));
    }
    const std::size_t rows = std::min<std::size_t>(t.rows(), 64);
    for (std::size_t i = 0; i < rows; ++i) {
      RECTIFY_FUZZ_CHECK(t.line(i) >= 2);
      RECTIFY_FUZZ_CHECK(t.place(i, -1).rfind("fuzz.csv:", 0) == 0);
      for (std::size_t j = 0; j < t.columns(); ++j) {
        static_cast<void>(t.field(i, j));
        RECTIFY_FUZZ_CHECK(t.place(i, static_cast<std::ptrdiff_t>(j)).rfind("fuzz.csv:", 0) == 0);
      }
    }
    accepted([&] { then(std::move(t)); });
  }
}

/// A scorer's input table as the compliance checks make it: one row per unit, columns of
/// finite numbers or NaN, fractions within [0, 1].
inline void check_inputs(const rectify::table& t, std::size_t units,
                         std::initializer_list<std::string_view> fractions) {
  RECTIFY_FUZZ_CHECK(t.units.size() == units);
  RECTIFY_FUZZ_CHECK(static_cast<std::size_t>(t.values.rows()) == units);
  RECTIFY_FUZZ_CHECK(static_cast<std::size_t>(t.values.cols()) == t.columns.size());
  for (std::size_t j = 0; j < t.columns.size(); ++j) {
    bool fraction = false;
    for (auto f : fractions) fraction = fraction || t.columns[j] == f;
    for (Eigen::Index i = 0; i < t.values.rows(); ++i) {
      const double v = t.values(i, static_cast<Eigen::Index>(j));
      RECTIFY_FUZZ_CHECK(!std::isinf(v));
      if (fraction && !std::isnan(v)) RECTIFY_FUZZ_CHECK(v >= 0 && v <= 1);
    }
  }
}

}  // namespace rectify::fuzz
