#pragma once
/// The ledger file `rectify.ledger/1` (ledger.md §1) to and from JSON, and the canonical JSON
/// of an event that the hash chain covers (§3). Only this adapter sees nlohmann/json.
#include <string>
#include <string_view>
#include <vector>

#include "rectify/core/error.hpp"
#include "rectify/ledger/model.hpp"

namespace rectify::io {

/// Every problem with a ledger's text at once (empty: it loads). Codes:
/// `rectify.ledger.syntax` (with line:column in `source`), `rectify.ledger.bad_number` (a number
/// beyond a double, also with line:column), `rectify.ledger.duplicate_key` (a key twice in one
/// object), `rectify.ledger.format`,
/// `rectify.ledger.missing_key`, `rectify.ledger.unknown_key`, `rectify.ledger.type`,
/// `rectify.ledger.duplicate_id` (areas, problems, measures and tasks share one id space per
/// kind), `rectify.ledger.unknown_area`, `rectify.ledger.bad_date`, `rectify.ledger.bad_value`
/// (an unknown kind, severity, action or state, an empty id, a negative escalation, no review
/// levels, a malformed hash or evidence digest). Each names the JSON pointer; `source` is the
/// file name given. The log is checked for shape here; its order, chain and guards are
/// `ledger::verify`'s business.
[[nodiscard]] std::vector<problem> validate_ledger(std::string_view json_text, std::string_view source);

/// Parses and validates a ledger; throws `rectify::error` with every problem.
[[nodiscard]] ledger::plan parse_ledger(std::string_view json_text, std::string_view source);

/// Reads the file at `path` (`rectify.io.open` when it cannot be read) and parses it.
[[nodiscard]] ledger::plan load_ledger_file(const std::string& path);

/// The ledger as JSON text: two-space indentation, keys in the contract's order, non-ASCII
/// written as UTF-8, ending in a newline. Optional keys are written when set (measures' `state`
/// when `recorded_state` is set). `parse_ledger(dump_ledger(p))` gives `p` back.
[[nodiscard]] std::string dump_ledger(const ledger::plan& p);

/// The canonical JSON of an event without `hash`: keys sorted by code point, no whitespace,
/// strings escaped only where JSON requires, non-ASCII kept as UTF-8 (ledger.md §3).
[[nodiscard]] std::string canonical_event_json(const ledger::event& e);

/// One event as an ordinary JSON object (keys as stored, `hash` included), for printing.
[[nodiscard]] std::string event_json(const ledger::event& e);

}  // namespace rectify::io
