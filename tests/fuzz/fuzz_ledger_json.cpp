// Fuzz target: ledger JSON (rectify.ledger/1). A ledger that loads is verified (replay of the
// whole log with its guards and hash chain), measured as of a fixed day, written back and read
// again (the round trip must give the same text and the same verdict), extended by one action
// when the guards allow it (the extended log must verify), and saved with its recorded states.
#include <string>

#include "fuzz_common.hpp"
#include "rectify/core/dates.hpp"
#include "rectify/io/ledger_json.hpp"
#include "rectify/ledger/metrics.hpp"
#include "rectify/ledger/workflow.hpp"

namespace {

void one(std::string_view text) {
  using namespace rectify;
  const auto problems = io::validate_ledger(text, "fuzz.json");
  for (const auto& p : problems) RECTIFY_FUZZ_CHECK(p.code.rfind("rectify.ledger.", 0) == 0);
  ledger::plan p;
  const bool loaded = fuzz::accepted([&] { p = io::parse_ledger(text, "fuzz.json"); });
  // validate_ledger reports exactly what parse_ledger refuses.
  RECTIFY_FUZZ_CHECK(loaded == problems.empty());
  if (!loaded) return;

  const auto report = ledger::verify(p);
  RECTIFY_FUZZ_CHECK(report.ok() || report.failure->code.rfind("rectify.ledger.", 0) == 0);
  for (const auto& e : p.log) {
    RECTIFY_FUZZ_CHECK(!io::canonical_event_json(e).empty());
    RECTIFY_FUZZ_CHECK(!io::event_json(e).empty());
  }
  const auto as_of = date::from_ymd(2026, 6, 30);
  fuzz::accepted([&] {
    static_cast<void>(ledger::status(p, as_of));
    static_cast<void>(ledger::overdue(p, as_of));
    static_cast<void>(ledger::inputs(p, as_of));
  });

  const std::string dumped = io::dump_ledger(p);
  ledger::plan again;
  const bool reread = fuzz::accepted([&] { again = io::parse_ledger(dumped, "dumped.json"); });
  RECTIFY_FUZZ_CHECK(reread);
  RECTIFY_FUZZ_CHECK(io::dump_ledger(again) == dumped);
  RECTIFY_FUZZ_CHECK(ledger::verify(again).ok() == report.ok());
  if (!report.ok() || p.measure_count() == 0) return;

  // One more action on the first measure, as `rectify ledger act` would append it.
  static const auto at = timestamp::parse("2099-12-31T12:00:00+08:00");
  RECTIFY_FUZZ_CHECK(at.has_value());
  for (const auto act : {ledger::action::start, ledger::action::submit, ledger::action::approve, ledger::action::close,
                         ledger::action::reopen}) {
    ledger::action_request req;
    req.measure = p.at(0).id;
    req.act = act;
    req.by = "fuzz";
    req.at = at;
    if (act == ledger::action::approve) req.level = 1;
    fuzz::accepted([&] {
      auto e = ledger::make_event(p, req);
      p.log.push_back(std::move(e));
      p.reindex();
      RECTIFY_FUZZ_CHECK(ledger::verify(p).ok());
    });
  }
  ledger::record_states(p);
  const std::string saved = io::dump_ledger(p);
  const auto back = io::parse_ledger(saved, "saved.json");
  RECTIFY_FUZZ_CHECK(ledger::verify(back).ok());
  RECTIFY_FUZZ_CHECK(io::dump_ledger(back) == saved);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return rectify::fuzz::run_one(data, size, one);
}
