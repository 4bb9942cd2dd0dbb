#pragma once
/// Safe writes of a ledger file (ledger.md §3): an exclusive lock, a temporary file in the same
/// folder, flush and fsync, then rename, so two writers never lose each other's events and a
/// crash leaves either the old file or the new one.
#include <string>
#include <string_view>

#include "rectify/ledger/model.hpp"
#include "rectify/ledger/workflow.hpp"

namespace rectify::ledger {

/// Writes `p` to `path` atomically (records every measure's state first). Holds the ledger's
/// lock while it writes. When `path` already holds a ledger, its log must be a prefix of
/// `p.log` (same hashes): otherwise someone else appended since `p` was read and the save is
/// refused with `rectify.ledger.conflict`, so their events are never lost. Throws
/// `rectify.io.write` naming the path and the system's reason (no space, no permission...)
/// and leaves the old file as it was.
void save(plan& p, const std::string& path);

/// Appends one event to the ledger at `path` under its exclusive lock: re-reads the file,
/// checks the guards against the log as it is now (another process may have appended since
/// the caller last read it), writes the new file atomically and returns the event. A refused
/// action throws `rectify.ledger.guard` and leaves the file untouched. For `evidence` with
/// `file` set, the file is hashed (SHA-256) while the lock is held and stored by its path
/// relative to the ledger's folder (see `evidence_for`).
[[nodiscard]] event act(const std::string& path, action_request req, const std::string& file = {});

/// The evidence record of `file` for the ledger at `ledger_path`: its SHA-256, its size and its
/// name, which is the file's path relative to the ledger's folder, '/'-separated, without `.`
/// or `..` (`scans/会议记录.pdf` for `<folder>/scans/./会议记录.pdf`). Both paths are resolved
/// (symlinks included) first, so a stored name always leads from the ledger's folder to a file
/// inside it. A file outside that folder is refused with `rectify.ledger.evidence_outside`
/// naming both paths; a file that cannot be read is `rectify.io.open`; a file whose relative
/// path cannot be stored (a backslash in a name) is `rectify.ledger.bad_value`.
[[nodiscard]] evidence evidence_for(const std::string& ledger_path, const std::string& file);

/// Why `name` cannot be a stored evidence name, or an empty string when it can. A name is a
/// relative '/'-separated path: not absolute, no `..` component, no backslash, no empty
/// component, no NUL. A plain base name (what earlier versions stored) is always fine. The
/// reader and the workflow's guards both apply this rule, so nothing writes a name that the
/// reader then refuses.
[[nodiscard]] std::string evidence_name_problem(std::string_view name);

}  // namespace rectify::ledger
