#include "rectify/ledger/store.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

#include "rectify/core/error.hpp"
#include "rectify/core/sha256.hpp"
#include "rectify/io/ledger_json.hpp"

namespace rectify::ledger {

namespace {

// The folder a file at `path` is written in (a temporary file goes there too).
std::filesystem::path folder_of(const std::string& path) {
  const std::filesystem::path parent = std::filesystem::path(path).parent_path();
  return parent.empty() ? std::filesystem::path(".") : parent;
}

// The system's reason alone ("File too large") does not tell a user what to do; the common
// causes get a plain hint.
[[noreturn]] void write_error(const std::string& path, const std::string& what, int err) {
  std::string message = what + ": " + std::strerror(err);
  switch (err) {
    case ENOSPC:
    case EDQUOT:
    case EFBIG:
      message += " (the disk is full or a file-size limit was reached)";
      break;
    case EACCES:
    case EPERM:
      message += " (no permission to write in " + folder_of(path).string() + ")";
      break;
    case EROFS:
      message += " (" + folder_of(path).string() + " is on a read-only file system)";
      break;
    default:
      break;
  }
  raise("rectify.io.write", "", message, path);
}

// The exclusive lock of one ledger file. The lock is taken on the file itself, so readers need
// no extra file; because every writer replaces the file by renaming a new one in, a process that
// waited for the lock may hold it on a file that is no longer at `path`, and then locks again.
class ledger_lock {
 public:
  ledger_lock(const std::string& path, bool create) {
    for (;;) {
      int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
      if (fd < 0 && errno == ENOENT && create) {
        fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_CREAT | O_EXCL, 0666);
        if (fd < 0 && errno == EEXIST) continue;  // another writer created it first: lock theirs
        if (fd >= 0) created_ = true;
        if (fd < 0) write_error(path, "cannot create the file", errno);
      }
      if (fd < 0) raise("rectify.io.open", "", std::string("cannot read the file: ") + std::strerror(errno), path);
      while (::flock(fd, LOCK_EX) != 0) {
        if (errno == EINTR) continue;
        const int err = errno;
        ::close(fd);
        write_error(path, "cannot lock the file", err);
      }
      struct stat now_at_path {};
      if (::fstat(fd, &st_) == 0 && ::stat(path.c_str(), &now_at_path) == 0 && st_.st_dev == now_at_path.st_dev &&
          st_.st_ino == now_at_path.st_ino) {
        fd_ = fd;
        return;
      }
      ::close(fd);
      if (created_) {
        // Our own new file was replaced or removed before we could lock it: start over, as
        // any waiter would.
        created_ = false;
      }
    }
  }
  ~ledger_lock() {
    if (fd_ >= 0) ::close(fd_);  // closing the descriptor releases the lock
  }
  ledger_lock(const ledger_lock&) = delete;
  ledger_lock& operator=(const ledger_lock&) = delete;

  [[nodiscard]] bool created() const noexcept { return created_; }
  [[nodiscard]] const struct stat& status() const noexcept { return st_; }

  // The locked file's whole text, read through the locked descriptor, so it is exactly the
  // file this lock protects.
  [[nodiscard]] std::string read_all(const std::string& path) const {
    std::string out;
    std::vector<char> buf(1 << 16);
    off_t offset = 0;
    for (;;) {
      const ssize_t n = ::pread(fd_, buf.data(), buf.size(), offset);
      if (n < 0) {
        if (errno == EINTR) continue;
        raise("rectify.io.open", "", std::string("cannot read the file: ") + std::strerror(errno), path);
      }
      if (n == 0) break;
      out.append(buf.data(), static_cast<std::size_t>(n));
      offset += n;
    }
    return out;
  }

 private:
  int fd_ = -1;
  bool created_ = false;
  struct stat st_ {};
};

// Replaces `path` with `text`: a temporary file in the same folder (so the rename never crosses
// file systems), written, flushed to disk, then renamed over the old one, which is atomic on
// POSIX. Readers and a crash at any moment see the old file or the new one, never a torn one.
// The new file keeps the old one's permissions (mkstemp creates 0600).
void replace_file(const std::string& path, const std::string& text, const struct stat& old) {
  const std::filesystem::path target(path);
  const std::filesystem::path folder = folder_of(path);
  // Built by appends: GCC 12 -O3 warns falsely (-Wrestrict) on a literal plus a temporary.
  std::string base = ".";
  base += target.filename().string();
  base += ".tmp-XXXXXX";
  std::string name = (folder / base).string();
  const int fd0 = ::mkostemp(name.data(), O_CLOEXEC);
  if (fd0 < 0) write_error(path, "cannot create a temporary file in " + folder.string(), errno);
  int fd = fd0;
  auto fail = [&](const std::string& what, int err) {
    if (fd >= 0) ::close(fd);
    ::unlink(name.c_str());
    write_error(path, what, err);
  };

  if (::fchmod(fd, old.st_mode & 07777) != 0) fail("cannot set the permissions of the new file", errno);
  // A ledger edited by root on someone's behalf stays theirs; without the right to do so the
  // file simply becomes the writer's, as any editor's save would.
  if (old.st_uid != ::geteuid() || old.st_gid != ::getegid()) (void)!::fchown(fd, old.st_uid, old.st_gid);
  std::size_t done = 0;
  while (done < text.size()) {
    const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail("cannot write the file", errno);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) fail("cannot flush the file to disk", errno);
  const int closed = ::close(fd);
  fd = -1;
  if (closed != 0) fail("cannot write the file", errno);
  if (::rename(name.c_str(), path.c_str()) != 0) fail("cannot replace the file", errno);

  // The rename itself reaches the disk only when the folder is flushed. The new file is in
  // place by now, so a folder that cannot be flushed (some file systems refuse) is no reason to
  // report a failed write.
  const int dir = ::open(folder.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dir >= 0) {
    (void)::fsync(dir);
    ::close(dir);
  }
}

// Refuses a save that would drop events another writer appended since `p` was read.
void check_not_behind(const std::string& on_disk, const plan& p, const std::string& path) {
  plan current;
  try {
    current = io::parse_ledger(on_disk, path);
  } catch (const rectify::error& err) {
    // Overwriting a file that is not a readable ledger could destroy someone's work (a newer
    // format, a hand edit gone wrong): the user must move it away first.
    raise("rectify.ledger.conflict", "",
          "the file exists but is not a readable ledger (" + err.problems().front().str() +
              "); move it away or save elsewhere",
          path);
  }
  const std::size_t n = current.log.size();
  for (std::size_t i = 0; i < n && i < p.log.size(); ++i)
    if (current.log[i].hash != p.log[i].hash)
      raise("rectify.ledger.conflict", pointer_append("/log", i),
            "event seq " + std::to_string(current.log[i].seq) +
                " in the file differs from the ledger being saved; load the file again and redo the change",
            path);
  if (n > p.log.size())
    raise("rectify.ledger.conflict", "",
          "the file has " + std::to_string(n) + " events but the ledger being saved only " +
              std::to_string(p.log.size()) +
              ": someone appended since it was read; load the file again and redo the change",
          path);
}

}  // namespace

void save(plan& p, const std::string& path) {
  record_states(p);
  const std::string text = io::dump_ledger(p);
  ledger_lock lock(path, true);
  try {
    const std::string on_disk = lock.read_all(path);
    if (!on_disk.empty()) check_not_behind(on_disk, p, path);
    replace_file(path, text, lock.status());
  } catch (...) {
    // A file this save created (empty, to hold the lock) must not outlive a failed save.
    if (lock.created()) ::unlink(path.c_str());
    throw;
  }
}

event act(const std::string& path, action_request req, const std::string& file) {
  ledger_lock lock(path, false);
  plan p = io::parse_ledger(lock.read_all(path), path);
  if (!file.empty()) req.proof = evidence_for(path, file);
  event e;
  try {
    e = make_event(p, req);
  } catch (const rectify::error& err) {
    // A broken chain is a fact about this file, so name it; a guard refusal is about the
    // action and prints as `[rectify.ledger.guard] P1.M1: ...` (ledger.md §2).
    if (err.code() == "rectify.ledger.guard") throw;
    std::vector<rectify::problem> ps = err.problems();
    for (rectify::problem& q : ps)
      if (q.source.empty()) q.source = path;
    raise(std::move(ps));
  }
  p.log.push_back(e);
  record_states(p);
  replace_file(path, io::dump_ledger(p), lock.status());
  return e;
}

evidence evidence_for(const std::string& ledger_path, const std::string& file) {
  namespace fs = std::filesystem;
  std::error_code ec;
  // The ledger's folder as the path names it (the ledger file itself may be a link: writes
  // replace the link by a file, so the folder that matters is the one the path is in).
  const fs::path folder = fs::canonical(fs::absolute(fs::path(ledger_path), ec).parent_path(), ec);
  if (ec) raise("rectify.io.open", "", "cannot find the ledger's folder: " + ec.message(), ledger_path);
  const fs::path real = fs::canonical(fs::path(file), ec);
  if (ec) raise("rectify.io.open", "", "cannot read the file: " + ec.message(), file);

  const fs::path relative = real.lexically_relative(folder);
  if (relative.empty() || *relative.begin() == "..") {
    std::string where = rectify::quoted(file);
    if (real != fs::path(file)) where += " (" + rectify::quoted(real.string()) + ")";
    raise("rectify.ledger.evidence_outside", "",
          "the evidence file " + where + " is outside the ledger's folder " + rectify::quoted(folder.string()) +
              ": evidence is stored by its path relative to that folder, so copy the file into it (or a folder "
              "under it) and add the copy",
          ledger_path);
  }
  std::string name = relative.generic_string();
  if (std::string why = evidence_name_problem(name); !why.empty())
    raise("rectify.ledger.bad_value", "",
          "the evidence file cannot be stored by its path in the ledger's folder, " + rectify::quoted(name) + ": " +
              why + "; rename it",
          file);
  // The resolved file is the one hashed, so the digest is of the file the name leads to.
  const file_digest digest = sha256_file(real.string());
  return evidence{std::move(name), digest.sha256, static_cast<std::int64_t>(digest.bytes)};
}

std::string evidence_name_problem(std::string_view name) {
  if (name.empty()) return "it is empty";
  if (name.find('\0') != std::string_view::npos) return "it contains a NUL character";
  if (name.find('\\') != std::string_view::npos) return "it contains a backslash (folders are separated by '/')";
  if (name.front() == '/') return "it is an absolute path (store it relative to the ledger's folder)";
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = std::min(name.find('/', start), name.size());
    const std::string_view part = name.substr(start, end - start);
    if (part.empty()) return "it has an empty component (a doubled or trailing '/')";
    if (part == "..") return "it has a '..' component, which leads out of the ledger's folder";
    if (end == name.size()) return {};
    start = end + 1;
  }
}

}  // namespace rectify::ledger
