// Progress callbacks of the long computations (issue 7 part 7): SMAA-2 (robustness.hpp) and
// near-duplicate search (similar.hpp). The contract: called from the calling thread only, done
// never decreasing, from 0 to total, at most about 100 calls; returning false throws
// rectify.cancelled; a throwing callback's exception comes out as it is; and the results are
// bit-identical with or without a callback, for any thread count.
#include <Eigen/Core>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <cstddef>
#include <random>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "rectify/core/error.hpp"
#include "rectify/mcda/robustness.hpp"
#include "rectify/text/similar.hpp"
#include "support.hpp"

namespace rm = rectify::mcda;
namespace rt = rectify::text;
using rectify::test::message_of;

namespace {

struct call {
  std::size_t done = 0, total = 0;
  std::thread::id thread;
};

// Records every call; cancels (returns false) at the first call with done >= cancel_at.
struct recorder {
  std::vector<call> calls;
  std::size_t cancel_at = static_cast<std::size_t>(-1);

  [[nodiscard]] std::function<bool(std::size_t, std::size_t)> callback() {
    return [this](std::size_t done, std::size_t total) {
      calls.push_back({done, total, std::this_thread::get_id()});
      return done < cancel_at;
    };
  }
};

// The contract every completed run's calls must meet.
void check_calls(const recorder& r, std::size_t total) {
  REQUIRE(r.calls.size() >= 2);
  CHECK(r.calls.size() <= 102);
  CHECK(r.calls.front().done == 0);
  CHECK(r.calls.back().done == total);
  for (std::size_t i = 0; i < r.calls.size(); ++i) {
    INFO("call " << i);
    CHECK(r.calls[i].total == total);
    CHECK(r.calls[i].thread == std::this_thread::get_id());
    CHECK(r.calls[i].done <= total);
    if (i > 0) CHECK(r.calls[i].done > r.calls[i - 1].done);  // each call reports progress
  }
}

Eigen::MatrixXd random_matrix(Eigen::Index m, Eigen::Index n, unsigned seed) {
  std::mt19937_64 g(seed);
  std::uniform_real_distribution<double> u(1.0, 10.0);
  Eigen::MatrixXd x(m, n);
  for (Eigen::Index j = 0; j < n; ++j)
    for (Eigen::Index i = 0; i < m; ++i) x(i, j) = u(g);
  return x;
}

bool same(const Eigen::MatrixXd& a, const Eigen::MatrixXd& b) {
  if (a.rows() != b.rows() || a.cols() != b.cols()) return false;
  for (Eigen::Index k = 0; k < a.size(); ++k)
    if (!(a.data()[k] == b.data()[k] || (std::isnan(a.data()[k]) && std::isnan(b.data()[k])))) return false;
  return true;
}

bool same(const rm::smaa_result& a, const rm::smaa_result& b) {
  return a.samples == b.samples && same(a.acceptability, b.acceptability) &&
         same(a.central_weights, b.central_weights) && same(a.confidence, b.confidence) && same(a.holistic, b.holistic);
}

rm::smaa_options smaa_case(bool noisy) {
  rm::smaa_options o;
  o.m = rm::method::topsis;
  o.samples = 5000;  // 20 blocks, the last one short
  o.seed = 7;
  if (noisy) {
    o.x_sd = Eigen::MatrixXd::Constant(15, 4, 0.5);
    o.samples = 1500;
  }
  return o;
}

const Eigen::VectorXi kTypes = (Eigen::VectorXi(4) << 1, -1, 1, 1).finished();

}  // namespace

TEST_CASE("smaa progress comes from the calling thread, rises and ends at the sample count", "[progress]") {
  const Eigen::MatrixXd x = random_matrix(15, 4, 11);
  for (const bool noisy : {false, true}) {
    for (const unsigned threads : {1U, 2U, 4U}) {
      INFO("noisy " << noisy << ", threads " << threads);
      rm::smaa_options o = smaa_case(noisy);
      o.threads = threads;
      recorder r;
      o.progress = r.callback();
      (void)rm::smaa(x, kTypes, o);
      // Exact values: one count per sample; with x_sd the confidence pass draws as many again.
      check_calls(r, noisy ? 2 * o.samples : o.samples);
    }
  }
}

TEST_CASE("smaa results are identical with and without a progress callback for 1, 2 and 4 threads", "[progress]") {
  const Eigen::MatrixXd x = random_matrix(15, 4, 12);
  for (const bool noisy : {false, true}) {
    INFO("noisy " << noisy);
    rm::smaa_options o = smaa_case(noisy);
    o.threads = 1;
    const rm::smaa_result reference = rm::smaa(x, kTypes, o);
    for (const unsigned threads : {1U, 2U, 4U}) {
      INFO("threads " << threads);
      o.threads = threads;
      o.progress = nullptr;
      CHECK(same(reference, rm::smaa(x, kTypes, o)));
      // A slow callback lets the workers run ahead of the reports; the result must not care.
      o.progress = [](std::size_t, std::size_t) {
        std::this_thread::sleep_for(std::chrono::milliseconds(2));
        return true;
      };
      CHECK(same(reference, rm::smaa(x, kTypes, o)));
    }
  }
}

TEST_CASE("smaa progress moves in steps of about a hundredth on a long run", "[progress]") {
  // Enough noisy samples to take well over the 20 ms polling interval even in a release build.
  const Eigen::MatrixXd x = random_matrix(40, 4, 13);
  rm::smaa_options o;
  o.m = rm::method::vikor;
  o.samples = 8000;
  o.x_sd = Eigen::MatrixXd::Constant(40, 4, 0.3);
  o.threads = 2;
  recorder r;
  o.progress = r.callback();
  const auto start = std::chrono::steady_clock::now();
  (void)rm::smaa(x, kTypes, o);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  check_calls(r, 2 * o.samples);
  // Between two calls the position moves by at least a hundredth of the total (160 here), the
  // last call excepted; a run this long is seen in between, not only at 0 and the end.
  for (std::size_t i = 1; i + 1 < r.calls.size(); ++i) CHECK(r.calls[i].done - r.calls[i - 1].done >= 160);
  if (seconds > 0.2) CHECK(r.calls.size() >= 4);
}

TEST_CASE("smaa stops when the progress callback returns false or throws", "[progress]") {
  const Eigen::MatrixXd x = random_matrix(15, 4, 14);
  for (const unsigned threads : {1U, 2U, 4U}) {
    INFO("threads " << threads);
    rm::smaa_options o = smaa_case(false);
    o.threads = threads;
    recorder r;
    r.cancel_at = 0;  // at the very first call
    o.progress = r.callback();
    CHECK(message_of([&] { (void)rm::smaa(x, kTypes, o); }) ==
          "[rectify.cancelled] cancelled by the progress callback");
    CHECK(r.calls.size() == 1);  // never called again once it said stop

    recorder mid;
    mid.cancel_at = 1;  // the first call after the work started
    o.progress = mid.callback();
    try {
      (void)rm::smaa(x, kTypes, o);
      FAIL("not cancelled");
    } catch (const rectify::error& e) {
      CHECK(e.code() == "rectify.cancelled");
    }
    REQUIRE(mid.calls.size() == 2);  // the start, then the call that said stop
    CHECK(mid.calls.back().done >= 1);

    o.progress = [](std::size_t done, std::size_t) -> bool {
      if (done > 0) throw std::runtime_error("interrupted");
      return true;
    };
    CHECK_THROWS_WITH(rm::smaa(x, kTypes, o), "interrupted");
    // The options are reusable after a cancelled run, and give the full result.
    o.progress = nullptr;
    o.threads = 1;
    const rm::smaa_result reference = rm::smaa(x, kTypes, o);
    o.threads = threads;
    CHECK(same(reference, rm::smaa(x, kTypes, o)));
  }
}

namespace {

// Documents from a fixed vocabulary of CJK characters: unrelated documents share few 5-grams;
// every fifth one copies most of the previous one's text (a planted near-duplicate).
std::vector<rt::document> corpus(std::size_t n) {
  std::mt19937_64 g(2026);
  std::uniform_int_distribution<std::uint32_t> pick(0x4E00, 0x4E00 + 1999);
  const auto utf8 = [](std::uint32_t c) {
    std::string s;
    s += static_cast<char>(0xE0 | (c >> 12));
    s += static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    s += static_cast<char>(0x80 | (c & 0x3F));
    return s;
  };
  std::vector<rt::document> docs;
  for (std::size_t d = 0; d < n; ++d) {
    std::string text;
    if (d % 5 == 4) {
      const std::string& source = docs.back().text;
      text = source.substr(0, source.size() * 4 / 5);  // cut on a character: all are 3 bytes
      text.resize(text.size() / 3 * 3);
      for (int c = 0; c < 40; ++c) text += utf8(pick(g));
    } else {
      for (int c = 0; c < 300; ++c) text += utf8(pick(g));
    }
    docs.push_back({"u" + std::to_string(d % 7), "d" + std::to_string(d), text, "doc" + std::to_string(d)});
  }
  return docs;
}

bool same(const rt::similar_report& a, const rt::similar_report& b) {
  if (a.candidates != b.candidates || a.shingles != b.shingles || a.too_short != b.too_short ||
      a.pairs.size() != b.pairs.size())
    return false;
  for (std::size_t i = 0; i < a.pairs.size(); ++i) {
    const auto &p = a.pairs[i], &q = b.pairs[i];
    if (p.a != q.a || p.b != q.b || p.jaccard != q.jaccard || p.a_in_b != q.a_in_b || p.b_in_a != q.b_in_a ||
        p.shared != q.shared || p.passages.size() != q.passages.size())
      return false;
    for (std::size_t k = 0; k < p.passages.size(); ++k)
      if (p.passages[k].a_begin != q.passages[k].a_begin || p.passages[k].b_begin != q.passages[k].b_begin ||
          p.passages[k].chars != q.passages[k].chars)
        return false;
  }
  return true;
}

}  // namespace

TEST_CASE("similar progress comes from the calling thread and counts documents plus a tenth", "[progress]") {
  const std::vector<rt::document> docs = corpus(123);
  for (const unsigned threads : {1U, 2U, 4U}) {
    INFO("threads " << threads);
    rt::similar_options o;
    o.threads = threads;
    recorder r;
    o.progress = r.callback();
    const rt::similar_report report = rt::find_similar(docs, o);
    check_calls(r, 123 + 13);              // n documents, then ⌈n/10⌉ for the comparison
    CHECK(report.pairs.size() >= 24);      // the planted copies were found
    CHECK_FALSE(report.options.progress);  // the report does not keep the callback
  }
  // One document, one count for the comparison; no document at all is 0 of 0, one call.
  recorder one;
  rt::similar_options o;
  o.progress = one.callback();
  (void)rt::find_similar(std::vector<rt::document>(docs.begin(), docs.begin() + 1), o);
  check_calls(one, 2);
  recorder none;
  o.progress = none.callback();
  (void)rt::find_similar(std::vector<rt::document>{}, o);
  REQUIRE(none.calls.size() == 1);
  CHECK(none.calls[0].done == 0);
  CHECK(none.calls[0].total == 0);
}

TEST_CASE("similar reports are identical with and without a progress callback for 1, 2 and 4 threads", "[progress]") {
  const std::vector<rt::document> docs = corpus(80);
  rt::similar_options o;
  o.threads = 1;
  o.template_text = docs[0].text.substr(0, 60);
  const rt::similar_report reference = rt::find_similar(docs, o);
  REQUIRE(!reference.pairs.empty());
  for (const unsigned threads : {1U, 2U, 4U}) {
    INFO("threads " << threads);
    o.threads = threads;
    o.progress = nullptr;
    CHECK(same(reference, rt::find_similar(docs, o)));
    o.progress = [](std::size_t, std::size_t) {
      std::this_thread::sleep_for(std::chrono::milliseconds(1));
      return true;
    };
    CHECK(same(reference, rt::find_similar(docs, o)));
  }
}

TEST_CASE("similar stops when the progress callback returns false or throws", "[progress]") {
  const std::vector<rt::document> docs = corpus(60);
  for (const unsigned threads : {1U, 2U, 4U}) {
    INFO("threads " << threads);
    rt::similar_options o;
    o.threads = threads;
    recorder r;
    r.cancel_at = 0;
    o.progress = r.callback();
    CHECK(message_of([&] { (void)rt::find_similar(docs, o); }) ==
          "[rectify.cancelled] cancelled by the progress callback");
    CHECK(r.calls.size() == 1);
    o.progress = [](std::size_t done, std::size_t) -> bool {
      if (done > 0) throw std::runtime_error("interrupted");
      return true;
    };
    CHECK_THROWS_WITH(rt::find_similar(docs, o), "interrupted");
  }
  // A bad document is still reported as itself, not as a cancellation.
  std::vector<rt::document> bad = docs;
  bad[30].text = "\xff\xfe";
  rt::similar_options o;
  o.threads = 2;
  o.progress = [](std::size_t, std::size_t) { return true; };
  try {
    (void)rt::find_similar(bad, o);
    FAIL("no error");
  } catch (const rectify::error& e) {
    CHECK(e.code() == "rectify.text.encoding");
  }
}
