#include "rectify/io/ledger_json.hpp"

#include <algorithm>
#include <charconv>
#include <cstdint>
#include <initializer_list>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>

#include "json_text.hpp"
#include "rectify/core/sha256.hpp"
#include "rectify/io/csv.hpp"
#include "rectify/io/scheme_json.hpp"
#include "rectify/ledger/store.hpp"

namespace rectify::io {

namespace {

using json = nlohmann::json;
using detail::describe;
namespace lg = rectify::ledger;

constexpr std::string_view kFormat = "rectify.ledger/1";
constexpr std::int64_t kInt64Max = std::numeric_limits<std::int64_t>::max();
constexpr std::int64_t kInt64Min = std::numeric_limits<std::int64_t>::min();

// Walks the document once, filling the plan and collecting every problem. A value of the
// wrong type is reported and left at its default; since any problem makes the ledger refuse to
// load, the plan is only ever used when the list stays empty.
class reader : public detail::json_reader {
 public:
  explicit reader(std::vector<problem>& out) : json_reader(out, "rectify.ledger") {}

  // The value of `key`, or null when it is absent (reported when the key is required).
  const json* lookup(const json& j, std::string_view key, const std::string& path, bool required) {
    auto it = j.find(key);
    if (it != j.end()) return &*it;
    if (required) add("rectify.ledger.missing_key", path, "missing required key " + rectify::quoted(key));
    return nullptr;
  }

  bool as_string(const json& v, const std::string& path, std::string& out) {
    if (!v.is_string()) {
      add("rectify.ledger.type", path, "must be a string, not " + describe(v));
      return false;
    }
    take(v, out);
    return true;
  }

  // Copies a string value, or moves it when the reader owns the document (a streamed event,
  // which is dropped right after): a log holds millions of strings.
  void take(const json& v, std::string& out) const {
    if (owns_document_)
      out = std::move(const_cast<json&>(v).get_ref<std::string&>());  // NOLINT: see owns_document_
    else
      out = v.get_ref<const std::string&>();
  }

  // A string member. `nonempty` refuses "" (ids, people, units: something else refers to them).
  bool string(const json& j, std::string_view key, const std::string& path, std::string& out, bool required,
              bool nonempty = false) {
    const json* v = lookup(j, key, path, required);
    if (!v) return false;
    // The pointer is built only for a message: most values are fine, and a log has millions.
    if (!v->is_string()) {
      add("rectify.ledger.type", pointer_append(path, key), "must be a string, not " + describe(*v));
      return false;
    }
    take(*v, out);
    if (nonempty && out.empty()) {
      add("rectify.ledger.bad_value", pointer_append(path, key), "must not be empty");
      return false;
    }
    return true;
  }

  std::optional<std::string> optional_string(const json& j, std::string_view key, const std::string& path) {
    std::string s;
    if (!string(j, key, path, s, false)) return std::nullopt;
    return s;
  }

  // An integer member within [lo, hi]. JSON's 3.0 is a float to nlohmann and to Python, and the
  // hash covers the number as written, so only integers are accepted.
  std::optional<std::int64_t> integer(const json& j, std::string_view key, const std::string& path, bool required,
                                      std::int64_t lo = kInt64Min, std::int64_t hi = kInt64Max) {
    const json* v = lookup(j, key, path, required);
    if (!v) return std::nullopt;
    if (v->is_number_integer()) {  // the common case first, without building the pointer
      auto n = v->get<std::int64_t>();
      if (n >= lo && n <= hi && (!v->is_number_unsigned() || v->get<std::uint64_t>() <= static_cast<std::uint64_t>(hi)))
        return n;
    }
    const std::string p = pointer_append(path, key);
    if (v->is_number_float()) {
      add("rectify.ledger.type", p, "must be an integer, not " + number_text(v->get<double>()));
      return std::nullopt;
    }
    if (!v->is_number()) {
      add("rectify.ledger.type", p, "must be an integer, not " + describe(*v));
      return std::nullopt;
    }
    if (v->is_number_unsigned() && v->get<std::uint64_t>() > static_cast<std::uint64_t>(hi)) {
      add("rectify.ledger.bad_value", p, "must be at most " + std::to_string(hi) + ", not " + v->dump());
      return std::nullopt;
    }
    auto n = v->get<std::int64_t>();
    if (n < lo) {
      add("rectify.ledger.bad_value", p, "must be at least " + std::to_string(lo) + ", not " + std::to_string(n));
      return std::nullopt;
    }
    if (n > hi) {
      add("rectify.ledger.bad_value", p, "must be at most " + std::to_string(hi) + ", not " + std::to_string(n));
      return std::nullopt;
    }
    return n;
  }

  std::optional<date> day(const json& j, std::string_view key, const std::string& path, bool required) {
    std::string s;
    if (!string(j, key, path, s, required)) return std::nullopt;
    auto d = date::parse(s);
    if (!d)
      add("rectify.ledger.bad_date", pointer_append(path, key),
          "must be a date YYYY-MM-DD (a real day, years 0001-9999), not " + rectify::quoted(s));
    return d;
  }

  std::optional<std::string> hex(const json& j, std::string_view key, const std::string& path) {
    std::string s;
    if (!string(j, key, path, s, true)) return std::nullopt;
    if (!is_sha256_hex(s)) {
      add("rectify.ledger.bad_value", pointer_append(path, key),
          "must be a SHA-256 digest: 64 lowercase hex characters, not " + rectify::quoted(s));
      return std::nullopt;
    }
    return s;
  }

  // One id space per kind: an id seen twice names the first place it was used.
  void unique(std::map<std::string, std::string>& seen, const std::string& id, const std::string& path) {
    auto [it, fresh] = seen.emplace(id, path);
    if (!fresh)
      add("rectify.ledger.duplicate_id", path + "/id", rectify::quoted(id) + " is already the id of " + it->second);
  }

  // `streamed`: the log's events were read as they were parsed; they are taken from here and
  // their problems put where the log's would be.
  struct streamed_log {
    std::vector<lg::event> events;
    std::vector<problem> problems;
  };
  lg::plan read(const json& doc, streamed_log* streamed = nullptr);
  lg::event read_event(const json& j, const std::string& path);
  // The values read may be moved from (only while reading streamed events, whose JSON objects
  // belong to the reader and are dropped as soon as they are read).
  void owns_document(bool yes) noexcept { owns_document_ = yes; }

 private:
  void read_source(const json& j, lg::plan& p);
  void read_escalation(const json& j, lg::plan& p);
  lg::measure read_measure(const json& j, const std::string& path);

  bool owns_document_ = false;
  std::map<std::string, std::string> area_ids_, problem_ids_, measure_ids_, task_ids_;
};

void reader::read_source(const json& j, lg::plan& p) {
  if (!object(j, "/source", "source")) return;
  keys(j, "/source", {"kind", "ref", "feedback"});
  p.source.present = true;
  string(j, "kind", "/source", p.source.kind, false);
  string(j, "ref", "/source", p.source.ref, false);
  p.source.feedback = day(j, "feedback", "/source", false);
}

void reader::read_escalation(const json& j, lg::plan& p) {
  if (!object(j, "/escalation", "escalation")) return;
  keys(j, "/escalation", {"remind_days", "accountable_days"});
  p.escalation.present = true;
  constexpr std::int64_t max32 = std::numeric_limits<std::int32_t>::max();
  if (auto n = integer(j, "remind_days", "/escalation", false, 0, max32))
    p.escalation.remind_days = static_cast<std::int32_t>(*n);
  if (auto n = integer(j, "accountable_days", "/escalation", false, 0, max32))
    p.escalation.accountable_days = static_cast<std::int32_t>(*n);
}

lg::measure reader::read_measure(const json& j, const std::string& path) {
  lg::measure m;
  if (!object(j, path, "a measure")) return m;
  keys(j, path, {"id", "text", "kind", "unit", "leader", "owner", "due", "state", "tasks"});
  if (string(j, "id", path, m.id, true, true)) unique(measure_ids_, m.id, path);
  string(j, "text", path, m.text, true);
  if (auto k = optional_string(j, "kind", path)) {
    if (auto kind = lg::parse_kind(*k))
      m.kind = *kind;
    else
      add("rectify.ledger.bad_value", path + "/kind",
          "unknown kind " + rectify::quoted(*k) + " (immediate, deadline or long_term)");
  }
  string(j, "unit", path, m.unit, true, true);
  string(j, "leader", path, m.leader, false);
  string(j, "owner", path, m.owner, true, true);
  if (auto d = day(j, "due", path, true)) m.due = *d;
  if (auto s = optional_string(j, "state", path)) {
    m.recorded_state = lg::parse_state(*s);
    if (!m.recorded_state)
      add("rectify.ledger.bad_value", path + "/state",
          "unknown state " + rectify::quoted(*s) + " (planned, in_progress, submitted, verified or closed)");
  }
  if (const json* ts = lookup(j, "tasks", path, false); ts && array(*ts, path + "/tasks")) {
    for (std::size_t i = 0; i < ts->size(); ++i) {
      const std::string tp = pointer_append(path + "/tasks", i);
      const json& t = (*ts)[i];
      lg::task task;
      if (object(t, tp, "a task")) {
        keys(t, tp, {"id", "text", "due"});
        if (string(t, "id", tp, task.id, true, true)) unique(task_ids_, task.id, tp);
        string(t, "text", tp, task.text, false);
        task.due = day(t, "due", tp, false);
      }
      m.tasks.push_back(std::move(task));
    }
  }
  return m;
}

lg::event reader::read_event(const json& j, const std::string& path) {
  lg::event e;
  if (!object(j, path, "an event")) return e;
  keys(j, path, {"seq", "at", "by", "measure", "action", "level", "task", "note", "evidence", "prev", "hash"});
  if (auto n = integer(j, "seq", path, true)) e.seq = *n;
  if (string(j, "at", path, e.at_text, true)) {
    if (auto t = timestamp::parse(e.at_text))
      e.at = *t;
    else if (date::parse(e.at_text.substr(0, 10)) && timestamp::parse(e.at_text + "Z"))
      add("rectify.ledger.bad_date", path + "/at",
          rectify::quoted(e.at_text) + " has no UTC offset; write it as e.g. 2026-04-02T09:30:00+08:00");
    else
      add("rectify.ledger.bad_date", path + "/at",
          "must be a date and time with a UTC offset (2026-04-02T09:30:00+08:00), not " + rectify::quoted(e.at_text));
  }
  string(j, "by", path, e.by, true, true);
  string(j, "measure", path, e.measure, true, true);
  std::string act;
  if (string(j, "action", path, act, true)) {
    if (auto a = lg::parse_action(act))
      e.act = *a;
    else
      add("rectify.ledger.bad_value", path + "/action",
          "unknown action " + rectify::quoted(act) +
              " (start, evidence, submit, approve, return, close, reopen or task_done)");
  }
  e.level = integer(j, "level", path, false);
  e.task = optional_string(j, "task", path);
  e.note = optional_string(j, "note", path);
  if (const json* ev = lookup(j, "evidence", path, false)) {
    const std::string ep = path + "/evidence";
    if (object(*ev, ep, "evidence")) {
      keys(*ev, ep, {"name", "sha256", "bytes"});
      lg::evidence proof;
      if (string(*ev, "name", ep, proof.name, true, true))
        if (const std::string bad = lg::evidence_name_problem(proof.name); !bad.empty())
          add("rectify.ledger.bad_value", ep + "/name",
              rectify::quoted(proof.name) + " must be a path relative to the ledger's folder: " + bad);
      if (auto h = hex(*ev, "sha256", ep)) proof.sha256 = *h;
      if (auto n = integer(*ev, "bytes", ep, true, 0)) proof.bytes = *n;
      e.proof = std::move(proof);
    }
  }
  if (auto h = hex(j, "prev", path)) e.prev = *h;
  if (auto h = hex(j, "hash", path)) e.hash = *h;
  return e;
}

lg::plan reader::read(const json& doc, streamed_log* streamed) {
  lg::plan p;
  if (!object(doc, "", "a ledger")) return p;
  keys(doc, "", {"format", "id", "title", "source", "review_levels", "escalation", "areas", "problems", "log"});
  if (string(doc, "format", "", p.format, true) && p.format != kFormat)
    add("rectify.ledger.format", "/format",
        "must be " + rectify::quoted(kFormat) + ", not " + rectify::quoted(p.format));
  string(doc, "id", "", p.id, true, true);
  string(doc, "title", "", p.title, false);
  if (const json* s = lookup(doc, "source", "", false)) read_source(*s, p);
  if (const json* levels = lookup(doc, "review_levels", "", true); levels && array(*levels, "/review_levels")) {
    if (levels->empty())
      add("rectify.ledger.bad_value", "/review_levels", "needs at least one review level (e.g. [\"科长初审\"])");
    for (std::size_t i = 0; i < levels->size(); ++i) {
      const std::string lp = pointer_append("/review_levels", i);
      std::string level;
      if (as_string((*levels)[i], lp, level) && level.empty()) add("rectify.ledger.bad_value", lp, "must not be empty");
      p.review_levels.push_back(std::move(level));
    }
  }
  if (const json* e = lookup(doc, "escalation", "", false)) read_escalation(*e, p);

  // A problem's area is checked only against a complete list of areas: after a broken area,
  // "unknown area" would be noise.
  bool areas_complete = true;
  if (const json* as = lookup(doc, "areas", "", false)) {
    if (array(*as, "/areas")) {
      for (std::size_t i = 0; i < as->size(); ++i) {
        const std::string ap = pointer_append("/areas", i);
        const json& a = (*as)[i];
        lg::area ar;
        if (object(a, ap, "an area")) {
          keys(a, ap, {"id", "name"});
          if (string(a, "id", ap, ar.id, true, true))
            unique(area_ids_, ar.id, ap);
          else
            areas_complete = false;
          string(a, "name", ap, ar.name, false);
        } else {
          areas_complete = false;
        }
        p.areas.push_back(std::move(ar));
      }
    } else {
      areas_complete = false;
    }
  }

  if (const json* ps = lookup(doc, "problems", "", true); ps && array(*ps, "/problems")) {
    for (std::size_t i = 0; i < ps->size(); ++i) {
      const std::string pp = pointer_append("/problems", i);
      const json& j = (*ps)[i];
      lg::problem pr;
      if (object(j, pp, "a problem")) {
        keys(j, pp, {"id", "area", "title", "description", "units", "severity", "measures"});
        if (string(j, "id", pp, pr.id, true, true)) unique(problem_ids_, pr.id, pp);
        if (string(j, "area", pp, pr.area, true) && areas_complete && !area_ids_.count(pr.area)) {
          std::string known;
          for (const auto& a : p.areas) known += (known.empty() ? "" : ", ") + a.id;
          add("rectify.ledger.unknown_area", pp + "/area",
              "unknown area " + rectify::quoted(pr.area) +
                  (known.empty() ? " (the ledger defines no areas)" : " (areas: " + known + ")"));
        }
        string(j, "title", pp, pr.title, true);
        string(j, "description", pp, pr.description, false);
        if (const json* us = lookup(j, "units", pp, false); us && array(*us, pp + "/units")) {
          for (std::size_t u = 0; u < us->size(); ++u) {
            std::string unit;
            as_string((*us)[u], pointer_append(pp + "/units", u), unit);
            pr.units.push_back(std::move(unit));
          }
        }
        if (string(j, "severity", pp, pr.severity, false) && pr.severity != "major" && pr.severity != "general")
          add("rectify.ledger.bad_value", pp + "/severity",
              "unknown severity " + rectify::quoted(pr.severity) + " (major or general)");
        if (const json* ms = lookup(j, "measures", pp, true); ms && array(*ms, pp + "/measures"))
          for (std::size_t m = 0; m < ms->size(); ++m)
            pr.measures.push_back(read_measure((*ms)[m], pointer_append(pp + "/measures", m)));
      }
      p.problems.push_back(std::move(pr));
    }
  }

  if (const json* log = lookup(doc, "log", "", true); log && array(*log, "/log")) {
    if (streamed) {
      p.log = std::move(streamed->events);
      for (auto& pr : streamed->problems) out_.push_back(std::move(pr));
    } else {
      for (std::size_t i = 0; i < log->size(); ++i) p.log.push_back(read_event((*log)[i], pointer_append("/log", i)));
    }
  }
  return p;
}

// Reads `text`; the plan is meaningful only when `problems` comes back empty.
lg::plan read_ledger(std::string_view text, std::string_view source, std::vector<problem>& problems) {
  lg::plan p;
  // The log is read event by event while it is parsed (no tree of a million events), by a
  // reader of its own whose problems are put back in their place, after the rest of the file's.
  reader::streamed_log log;
  reader events(log.problems);
  events.owns_document(true);
  detail::json_array_sink sink{
      "log",
      [&] {
        log.events.clear();
        log.problems.clear();
      },
      [&](json& j, std::size_t i) { log.events.push_back(events.read_event(j, pointer_append("/log", i))); }};
  auto parsed = detail::parse_json_text(text, source, "rectify.ledger", "a ledger", "<ledger>", problems, &sink);
  if (parsed.status == detail::json_text_status::ok) {
    reader rd(problems);
    p = rd.read(parsed.doc, parsed.streamed ? &log : nullptr);
  }
  for (auto& pr : problems)
    if (pr.source.empty()) pr.source = std::string(source);
  return p;
}

// ---------------------------------------------------------------------------------------------
// Writing

// A JSON string as Python's json.dumps(..., ensure_ascii=False) writes it: `"` and `\` escaped,
// the control characters as \b \f \n \r \t or \u00xx (lowercase hex), everything else, DEL and
// non-ASCII included, as is. The hash chain depends on every byte of this.
void append_string(std::string& out, std::string_view s, std::string_view path) {
  if (find_invalid_utf8(s) != std::string_view::npos)
    raise("rectify.ledger.bad_value", std::string(path), "is not valid UTF-8 text; a ledger holds UTF-8 only");
  static constexpr char hexdig[] = "0123456789abcdef";
  out += '"';
  // Runs of characters that need no escape are appended whole (nearly every string is one).
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        out += "\\u00";
        out += hexdig[c >> 4];
        out += hexdig[c & 0x0F];
    }
  }
  out.append(s.data() + run, s.size() - run);
  out += '"';
}

// Writes JSON objects and arrays with a fixed layout. `pretty`: objects one member per line with
// two-space indentation, arrays of strings on one line (`["U01", "U02"]`), as people read and
// diff a ledger. Otherwise everything on one line with the given separators.
class writer {
 public:
  writer(bool pretty, std::string_view comma, std::string_view colon) : pretty_(pretty), comma_(comma), colon_(colon) {}

  void begin_object() {
    out_ += '{';
    first_.push_back(true);
  }
  void end_object() {
    bool empty = first_.back();
    first_.pop_back();
    if (pretty_ && !empty) newline();
    out_ += '}';
  }
  // Starts member `k` of the current object.
  void key(std::string_view k) {
    if (!first_.back()) out_ += pretty_ ? "," : comma_;
    first_.back() = false;
    if (pretty_) newline();
    append_string(out_, k, "");
    out_ += colon_;
  }
  void member(std::string_view k, std::string_view s, std::string_view path) {
    key(k);
    append_string(out_, s, path);
  }
  void member(std::string_view k, std::int64_t n) {
    key(k);
    out_ += std::to_string(n);
  }
  void member_strings(std::string_view k, const std::vector<std::string>& xs, const std::string& path) {
    key(k);
    out_ += '[';
    for (std::size_t i = 0; i < xs.size(); ++i) {
      if (i) out_ += comma_;
      append_string(out_, xs[i], pointer_append(path, i));
    }
    out_ += ']';
  }
  // Array of objects: each element is written by `f`, one per line when pretty.
  template <class F>
  void objects(std::size_t n, F&& f) {
    out_ += '[';
    first_.push_back(true);
    for (std::size_t i = 0; i < n; ++i) {
      if (i) out_ += pretty_ ? "," : comma_;
      if (pretty_) newline();
      f(i);
    }
    first_.pop_back();
    if (pretty_ && n) newline();
    out_ += ']';
  }

  std::string take() { return std::move(out_); }

 private:
  void newline() {
    out_ += '\n';
    out_.append(2 * first_.size(), ' ');
  }

  std::string out_;
  std::vector<bool> first_;
  bool pretty_;
  std::string comma_, colon_;
};

// The event's own members; `hash` is left to the caller (the canonical form leaves it out).
// `sorted` writes them by code point, as the hash chain needs; otherwise in the contract's order.
void write_event(writer& w, const lg::event& e, const std::string& path, bool sorted, bool with_hash) {
  const std::string at = e.at_text.empty() ? e.at.str() : e.at_text;
  auto seq = [&] { w.member("seq", e.seq); };
  auto at_ = [&] { w.member("at", at, path + "/at"); };
  auto by = [&] { w.member("by", e.by, path + "/by"); };
  auto measure = [&] { w.member("measure", e.measure, path + "/measure"); };
  auto action = [&] { w.member("action", lg::name(e.act), ""); };
  auto level = [&] {
    if (e.level) w.member("level", *e.level);
  };
  auto task = [&] {
    if (e.task) w.member("task", *e.task, path + "/task");
  };
  auto note = [&] {
    if (e.note) w.member("note", *e.note, path + "/note");
  };
  auto proof = [&] {
    if (!e.proof) return;
    w.key("evidence");
    w.begin_object();
    auto name = [&] { w.member("name", e.proof->name, path + "/evidence/name"); };
    auto sha = [&] { w.member("sha256", e.proof->sha256, path + "/evidence/sha256"); };
    auto bytes = [&] { w.member("bytes", e.proof->bytes); };
    if (sorted)
      bytes(), name(), sha();
    else
      name(), sha(), bytes();
    w.end_object();
  };
  auto prev = [&] { w.member("prev", e.prev, path + "/prev"); };
  auto hash = [&] {
    if (with_hash) w.member("hash", e.hash, path + "/hash");
  };
  w.begin_object();
  if (sorted)  // action at by evidence hash level measure note prev seq task
    action(), at_(), by(), proof(), hash(), level(), measure(), note(), prev(), seq(), task();
  else
    seq(), at_(), by(), measure(), action(), level(), task(), note(), proof(), prev(), hash();
  w.end_object();
}

}  // namespace

std::vector<problem> validate_ledger(std::string_view json_text, std::string_view source) {
  std::vector<problem> problems;
  (void)read_ledger(json_text, source, problems);
  return problems;
}

ledger::plan parse_ledger(std::string_view json_text, std::string_view source) {
  std::vector<problem> problems;
  auto p = read_ledger(json_text, source, problems);
  if (!problems.empty()) raise(std::move(problems));
  p.reindex();
  return p;
}

ledger::plan load_ledger_file(const std::string& path) {
  return parse_ledger(read_file(path), path);
}

std::string dump_ledger(const ledger::plan& p) {
  writer w(true, ", ", ": ");
  w.begin_object();
  w.member("format", p.format, "/format");
  w.member("id", p.id, "/id");
  if (!p.title.empty()) w.member("title", p.title, "/title");
  const auto& src = p.source;
  if (src.present || !src.kind.empty() || !src.ref.empty() || src.feedback) {
    w.key("source");
    w.begin_object();
    if (!src.kind.empty()) w.member("kind", src.kind, "/source/kind");
    if (!src.ref.empty()) w.member("ref", src.ref, "/source/ref");
    if (src.feedback) w.member("feedback", src.feedback->str(), "");
    w.end_object();
  }
  w.member_strings("review_levels", p.review_levels, "/review_levels");
  const auto& esc = p.escalation;
  if (esc.present || esc.remind_days != lg::escalation_rules{}.remind_days ||
      esc.accountable_days != lg::escalation_rules{}.accountable_days) {
    w.key("escalation");
    w.begin_object();
    w.member("remind_days", esc.remind_days);
    w.member("accountable_days", esc.accountable_days);
    w.end_object();
  }
  w.key("areas");
  w.objects(p.areas.size(), [&](std::size_t i) {
    const auto& a = p.areas[i];
    const std::string ap = pointer_append("/areas", i);
    w.begin_object();
    w.member("id", a.id, ap + "/id");
    if (!a.name.empty()) w.member("name", a.name, ap + "/name");
    w.end_object();
  });
  w.key("problems");
  w.objects(p.problems.size(), [&](std::size_t i) {
    const auto& pr = p.problems[i];
    const std::string pp = pointer_append("/problems", i);
    w.begin_object();
    w.member("id", pr.id, pp + "/id");
    w.member("area", pr.area, pp + "/area");
    w.member("title", pr.title, pp + "/title");
    if (!pr.description.empty()) w.member("description", pr.description, pp + "/description");
    if (!pr.units.empty()) w.member_strings("units", pr.units, pp + "/units");
    if (!pr.severity.empty()) w.member("severity", pr.severity, pp + "/severity");
    w.key("measures");
    w.objects(pr.measures.size(), [&](std::size_t k) {
      const auto& m = pr.measures[k];
      const std::string mp = pointer_append(pp + "/measures", k);
      w.begin_object();
      w.member("id", m.id, mp + "/id");
      w.member("text", m.text, mp + "/text");
      w.member("kind", lg::name(m.kind), "");
      w.member("unit", m.unit, mp + "/unit");
      if (!m.leader.empty()) w.member("leader", m.leader, mp + "/leader");
      w.member("owner", m.owner, mp + "/owner");
      w.member("due", m.due.str(), "");
      if (m.recorded_state) w.member("state", lg::name(*m.recorded_state), "");
      if (!m.tasks.empty()) {
        w.key("tasks");
        w.objects(m.tasks.size(), [&](std::size_t t) {
          const auto& task = m.tasks[t];
          const std::string tp = pointer_append(mp + "/tasks", t);
          w.begin_object();
          w.member("id", task.id, tp + "/id");
          if (!task.text.empty()) w.member("text", task.text, tp + "/text");
          if (task.due) w.member("due", task.due->str(), "");
          w.end_object();
        });
      }
      w.end_object();
    });
    w.end_object();
  });
  w.key("log");
  w.objects(p.log.size(), [&](std::size_t i) { write_event(w, p.log[i], pointer_append("/log", i), false, true); });
  w.end_object();
  return w.take() + "\n";
}

// The canonical form is written by hand rather than through `writer`: verify writes it for
// every event of the log. It must stay byte for byte what write_event(..., sorted, no hash)
// writes (tests compare both with Python's json.dumps(sort_keys=True, separators=(",", ":"))).
std::string canonical_event_json(const ledger::event& e) {
  std::string out;
  out.reserve(128 + e.at_text.size() + e.by.size() + e.measure.size() + e.prev.size() + (e.note ? e.note->size() : 0) +
              (e.task ? e.task->size() : 0) + (e.proof ? e.proof->name.size() + e.proof->sha256.size() + 40 : 0));
  auto integer = [&](std::int64_t n) {
    char buf[24];
    auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
    (void)ec;  // 24 characters hold any int64
    out.append(buf, end);
  };
  // Keys in code point order: action at by evidence level measure note prev seq task.
  out += "{\"action\":";
  append_string(out, lg::name(e.act), "");
  out += ",\"at\":";
  if (e.at_text.empty())
    append_string(out, e.at.str(), "/at");
  else
    append_string(out, e.at_text, "/at");
  out += ",\"by\":";
  append_string(out, e.by, "/by");
  if (e.proof) {
    out += ",\"evidence\":{\"bytes\":";
    integer(e.proof->bytes);
    out += ",\"name\":";
    append_string(out, e.proof->name, "/evidence/name");
    out += ",\"sha256\":";
    append_string(out, e.proof->sha256, "/evidence/sha256");
    out += '}';
  }
  if (e.level) {
    out += ",\"level\":";
    integer(*e.level);
  }
  out += ",\"measure\":";
  append_string(out, e.measure, "/measure");
  if (e.note) {
    out += ",\"note\":";
    append_string(out, *e.note, "/note");
  }
  out += ",\"prev\":";
  append_string(out, e.prev, "/prev");
  out += ",\"seq\":";
  integer(e.seq);
  if (e.task) {
    out += ",\"task\":";
    append_string(out, *e.task, "/task");
  }
  out += '}';
  return out;
}

std::string event_json(const ledger::event& e) {
  writer w(false, ", ", ": ");
  write_event(w, e, "", false, true);
  return w.take();
}

}  // namespace rectify::io
