#pragma once
/// The meeting-rules file `rectify.meeting-rules/1` (compliance.md §1): changes to the default
/// 三会一课 requirements, or a whole table of one's own.
///
///   {"format": "rectify.meeting-rules/1",
///    "source": "本局党建工作考核细则 (2026)",
///    "types": [{"id": "lecture", "at_least": 2},
///              {"id": "safety_study", "name": "安全学习", "per": "month"}]}
///
/// Top-level keys: `format` (required, exactly that string), `base` (`"default"`, the default:
/// `types` change the default table; `"none"`: `types` are the whole table), `source` (the rule's
/// authority, replacing the default's), `types` (required array). A type entry has `id`
/// (required, `[a-z][a-z0-9_]*`) and any of `name` (Chinese name), `aliases` (array of strings),
/// `at_least` (integer 0–31; 0 drops the type), `per` (`month`, `quarter`, `year`), `scope`
/// (`branch` or `group`), `quorum` (`none`, `majority`, `two_thirds`, `four_fifths`) and
/// `complete` (array of record field names: `topic`, `host`, `recorder`, `expected`, `attended`,
/// `minutes`, `photos`, `signed`). An entry whose id is a default type changes only the keys it
/// gives; a new type needs `name` and `per`, and defaults to at_least 1, scope branch, quorum
/// none and every field for completeness.
#include <string>
#include <string_view>

#include "rectify/compliance/meetings.hpp"

namespace rectify::io {

/// Parses and validates a rules file. Every problem is reported at once, each with its JSON
/// pointer and `source` naming the file (line:column for syntax errors): codes
/// `rectify.compliance.rules.syntax`, `.duplicate_key`, `.unknown_key` (with "did you mean"),
/// `.missing_key`, `.bad_type` (a value of the wrong JSON type), `.bad_value` (an unknown
/// cadence, scope, quorum or field name, an id of the wrong shape, at_least out of range),
/// `.bad_format`, `.duplicate_type` (an id twice), `.duplicate_name` (a name or alias that two
/// types share, compared as `meeting_rules::find` compares).
[[nodiscard]] compliance::meeting_rules parse_meeting_rules(std::string_view text, std::string_view source);

/// Reads the file at `path` and parses it; `rectify.io.open` when it cannot be read.
[[nodiscard]] compliance::meeting_rules load_meeting_rules(const std::string& path);

/// The rules as a complete `rectify.meeting-rules/1` file with `"base": "none"` (every type with
/// every key), indented by two spaces: `parse_meeting_rules(dump_meeting_rules(r))` gives `r`.
[[nodiscard]] std::string dump_meeting_rules(const compliance::meeting_rules& rules);

}  // namespace rectify::io
