#pragma once
/// Safe writes of a ledger file (ledger.md §3): an exclusive lock, a temporary file in the same
/// folder, flush and fsync, then rename, so two writers never lose each other's events and a
/// crash leaves either the old file or the new one.
#include <string>

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
/// `file` set, the file is hashed (SHA-256) while the lock is held and stored by base name.
[[nodiscard]] event act(const std::string& path, action_request req, const std::string& file = {});

}  // namespace rectify::ledger
