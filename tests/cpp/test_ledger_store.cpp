// Safe writes of a ledger (ledger.md §3): save and act round trips, refusals that leave the file
// as it was, write failures, two processes appending at once, and writers killed mid-write.
// The concurrency tests fork real processes, as two `rectify ledger act` commands would run.
#include "rectify/ledger/store.hpp"

#include <signal.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <chrono>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <optional>
#include <random>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "rectify/core/dates.hpp"
#include "rectify/core/error.hpp"
#include "rectify/core/sha256.hpp"
#include "rectify/io/ledger_json.hpp"
#include "rectify/ledger/model.hpp"
#include "rectify/ledger/workflow.hpp"
#include "support.hpp"

namespace fs = std::filesystem;
using namespace rectify::ledger;
using rectify::timestamp;
using rectify::test::message_of;

namespace {

const std::string kSmall = RECTIFY_TEST_DATA "/ledger/small.json";

// A fresh folder, removed with everything in it at the end of the test.
class temp_folder {
 public:
  temp_folder() {
    std::string name = (fs::temp_directory_path() / "rectify-store-XXXXXX").string();
    REQUIRE(::mkdtemp(name.data()) != nullptr);
    path_ = name;
  }
  ~temp_folder() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, ec);
    fs::remove_all(path_, ec);
  }
  temp_folder(const temp_folder&) = delete;
  temp_folder& operator=(const temp_folder&) = delete;

  [[nodiscard]] std::string operator/(const std::string& name) const { return (path_ / name).string(); }
  [[nodiscard]] const fs::path& path() const { return path_; }
  // The names in the folder, sorted.
  [[nodiscard]] std::vector<std::string> names() const {
    std::vector<std::string> out;
    for (const auto& entry : fs::directory_iterator(path_)) out.push_back(entry.path().filename().string());
    std::sort(out.begin(), out.end());
    return out;
  }

 private:
  fs::path path_;
};

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

void write_text(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

action_request request(const std::string& measure, action act, const std::string& by,
                       std::optional<std::string> at = "2026-04-01T09:00:00+08:00",
                       std::optional<std::int64_t> level = {}, std::optional<std::string> note = {}) {
  action_request r;
  r.measure = measure;
  r.act = act;
  r.by = by;
  if (at) r.at = timestamp::parse(*at);
  r.level = level;
  r.note = std::move(note);
  return r;
}

// Runs `f` in a child process and returns what it wrote to the pipe; the exit status of a child
// that fails is reported as text so that the test shows it.
template <class F>
std::string in_child(F f) {
  int fds[2];
  REQUIRE(::pipe(fds) == 0);
  const pid_t pid = ::fork();
  REQUIRE(pid >= 0);
  if (pid == 0) {
    ::close(fds[0]);
    std::string out;
    try {
      out = f();
    } catch (const std::exception& e) {
      out = std::string("unexpected exception: ") + e.what();
    }
    (void)!::write(fds[1], out.data(), out.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  std::string out;
  char buf[4096];
  for (ssize_t n; (n = ::read(fds[0], buf, sizeof buf)) > 0;) out.append(buf, static_cast<std::size_t>(n));
  ::close(fds[0]);
  int status = 0;
  ::waitpid(pid, &status, 0);
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) out += "(child status " + std::to_string(status) + ")";
  return out;
}

std::string error_text(const std::function<void()>& f) {
  return message_of(f);
}

}  // namespace

TEST_CASE("ledger store: act appends events that load, verify and keep the file's mode", "[ledger][store]") {
  temp_folder dir;
  const std::string path = dir / "ledger.json";
  fs::copy_file(kSmall, path);
  ::chmod(path.c_str(), 0640);

  const event first = act(path, request("P1.M1", action::start, "王干事"));
  CHECK(first.seq == 1);
  CHECK(first.prev == std::string(64, '0'));
  CHECK(first.at_text == "2026-04-01T09:00:00+08:00");

  // Evidence from a file is hashed and stored by its path relative to the ledger's folder:
  // SHA-256("abc") is the FIPS 180-2 example digest.
  fs::create_directory(dir.path() / "scans");
  write_text(dir / "scans/会议记录.txt", "abc");
  const event second =
      act(path, request("P1.M1", action::evidence, "王干事", "2026-04-02T10:00:00+08:00"), dir / "scans/会议记录.txt");
  REQUIRE(second.proof);
  CHECK(second.proof->name == "scans/会议记录.txt");
  CHECK(second.proof->sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(second.proof->bytes == 3);
  CHECK(second.prev == first.hash);

  const plan p = rectify::io::load_ledger_file(path);
  REQUIRE(p.log.size() == 2);
  CHECK(p.log[1].hash == second.hash);
  CHECK(verify(p).ok());
  // Every save writes the replayed state of every measure for people reading the file.
  CHECK(p.at(*p.find_measure("P1.M1")).recorded_state == state::in_progress);
  CHECK(p.at(*p.find_measure("P2.M2")).recorded_state == state::planned);
  struct stat st {};
  REQUIRE(::stat(path.c_str(), &st) == 0);
  CHECK((st.st_mode & 07777) == 0640);
  // No temporary file is left behind.
  CHECK(dir.names() == std::vector<std::string>{"ledger.json", "scans"});
}

TEST_CASE("ledger store: save writes a new file and saves over one whose log it extends", "[ledger][store]") {
  temp_folder dir;
  plan p = rectify::io::load_ledger_file(kSmall);
  p.log.push_back(make_event(p, request("P1.M1", action::start, "王干事")));
  const std::string path = dir / "new.json";
  save(p, path);
  plan back = rectify::io::load_ledger_file(path);
  REQUIRE(back.log.size() == 1);
  CHECK(back.log[0].hash == p.log[0].hash);
  CHECK(back.at(*back.find_measure("P1.M1")).recorded_state == state::in_progress);
  CHECK(read_text(path) == rectify::io::dump_ledger(back));

  // Saving the same ledger again, and one with more events, is fine.
  save(p, path);
  p.log.push_back(make_event(p, request("P1.M2", action::start, "钱干事")));
  save(p, path);
  back = rectify::io::load_ledger_file(path);
  CHECK(back.log.size() == 2);
  CHECK(verify(back).ok());
  // An empty file (as `touch` leaves) holds nothing to protect.
  write_text(dir / "empty.json", "");
  save(p, dir / "empty.json");
  CHECK(rectify::io::load_ledger_file(dir / "empty.json").log.size() == 2);
  CHECK(dir.names() == std::vector<std::string>{"empty.json", "new.json"});
}

TEST_CASE("ledger store: a refused act leaves the file byte for byte", "[ledger][store]") {
  temp_folder dir;
  const std::string path = dir / "ledger.json";
  fs::copy_file(kSmall, path);
  (void)act(path, request("P1.M1", action::start, "王干事"));
  // An evidence file must lie in the ledger's folder.
  const std::string proof = dir / "scan.pdf";
  write_text(proof, "scan");
  const std::string before = read_text(path);

  CHECK(error_text([&] { (void)act(path, request("P1.M1", action::submit, "王干事")); }) ==
        "[rectify.ledger.guard] P1.M1: submit needs evidence");
  CHECK(error_text([&] { (void)act(path, request("P9.M9", action::start, "王干事")); }) ==
        "[rectify.ledger.guard] P9.M9: no such measure");
  CHECK(error_text([&] {
          (void)act(path, request("P1.M1", action::evidence, "王干事", "2026-03-01T09:00:00+08:00"), proof);
        }) ==
        "[rectify.ledger.guard] P1.M1: event at 2026-03-01T09:00:00+08:00 is earlier than the last event of the log "
        "(2026-04-01T09:00:00+08:00)");
  // A file given with an action that takes none.
  CHECK(error_text([&] { (void)act(path, request("P1.M2", action::start, "钱干事"), proof); }) ==
        "[rectify.ledger.guard] P1.M2: start takes no evidence file (add it with an evidence event)");
  const std::string missing = dir / "missing.pdf";
  CHECK(error_text([&] {
          (void)act(path, request("P1.M1", action::evidence, "王干事"), missing);
        }).starts_with(missing + ": [rectify.io.open] cannot read the file: No such file or directory"));
  CHECK(read_text(path) == before);
  CHECK(dir.names() == std::vector<std::string>{"ledger.json", "scan.pdf"});

  // No ledger at all: nothing is created.
  CHECK(error_text([&] { (void)act(dir / "none.json", request("P1.M1", action::start, "王干事")); }) ==
        dir / "none.json" + ": [rectify.io.open] cannot read the file: No such file or directory");
  CHECK(dir.names() == std::vector<std::string>{"ledger.json", "scan.pdf"});

  // A tampered log is never extended, and the error names the file.
  std::string text = before;
  const auto in_log = text.find("王干事", text.find("\"log\""));
  REQUIRE(in_log != std::string::npos);
  text.replace(in_log, std::string("王干事").size(), "李干事");
  write_text(path, text);
  const std::string message = error_text([&] { (void)act(path, request("P1.M2", action::start, "钱干事")); });
  CHECK(message.starts_with(path + ": [rectify.ledger.chain] /log/0: the log does not verify at seq 1"));
  CHECK(read_text(path) == text);
}

TEST_CASE("ledger store: save refuses to drop events someone else appended", "[ledger][store]") {
  temp_folder dir;
  const std::string path = dir / "ledger.json";
  fs::copy_file(kSmall, path);
  plan stale = rectify::io::load_ledger_file(path);
  (void)act(path, request("P1.M1", action::start, "王干事"));
  const std::string after_act = read_text(path);

  CHECK(error_text([&] { save(stale, path); }) ==
        path +
            ": [rectify.ledger.conflict] the file has 1 events but the ledger being saved only 0: someone appended "
            "since it was read; load the file again and redo the change");
  CHECK(read_text(path) == after_act);

  // Two writers that each appended a different second event.
  plan mine = rectify::io::load_ledger_file(path);
  mine.log.push_back(make_event(mine, request("P1.M2", action::start, "钱干事", "2026-04-02T09:00:00+08:00")));
  (void)act(path, request("P2.M1", action::start, "孙科长", "2026-04-02T09:00:00+08:00"));
  const std::string theirs = read_text(path);
  CHECK(error_text([&] { save(mine, path); }) ==
        path +
            ": [rectify.ledger.conflict] /log/1: event seq 2 in the file differs from the ledger being saved; load "
            "the file again and redo the change");
  CHECK(read_text(path) == theirs);

  // Something that is not a ledger is not overwritten either.
  write_text(dir / "notes.json", "{\"hello\": 1}");
  CHECK(error_text([&] { save(mine, dir / "notes.json"); })
            .starts_with(dir / "notes.json" +
                         ": [rectify.ledger.conflict] the file exists but is not a readable ledger ("));
  CHECK(read_text(dir / "notes.json") == "{\"hello\": 1}");
  CHECK(dir.names() == std::vector<std::string>{"ledger.json", "notes.json"});
}

TEST_CASE("ledger store: a write that fails leaves the old file and no temporary file", "[ledger][store]") {
  temp_folder dir;
  const std::string path = dir / "ledger.json";
  fs::copy_file(kSmall, path);
  (void)act(path, request("P1.M1", action::start, "王干事"));
  const std::string before = read_text(path);
  REQUIRE(before.size() > 2000);

  SECTION("the disk fills up in the middle of the write") {
    // A file size limit makes write() fail with EFBIG part way, as a full disk would with ENOSPC.
    const std::string out = in_child([&] {
      struct rlimit limit {
        1024, 1024
      };
      ::signal(SIGXFSZ, SIG_IGN);
      if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) return std::string("setrlimit failed");
      return error_text([&] { (void)act(path, request("P1.M2", action::start, "钱干事")); }) + "\n" + error_text([&] {
               plan p = rectify::io::load_ledger_file(path);
               p.log.push_back(make_event(p, request("P1.M2", action::start, "钱干事")));
               save(p, path);
             });
    });
    const std::string efbig =
        ": [rectify.io.write] cannot write the file: File too large (the disk is full or a file-size limit was "
        "reached)";
    CHECK(out == path + efbig + "\n" + path + efbig);
  }

  SECTION("the folder is read-only") {
    fs::permissions(dir.path(), fs::perms::owner_read | fs::perms::owner_exec | fs::perms::group_read |
                                    fs::perms::group_exec | fs::perms::others_read | fs::perms::others_exec);
    // Root may write anywhere, so the writer gives up root first, as an ordinary user runs it.
    const std::string out = in_child([&] {
      if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) return std::string("cannot drop root");
      return error_text([&] { (void)act(path, request("P1.M2", action::start, "钱干事")); }) + "\n" + error_text([&] {
               plan p = rectify::io::load_ledger_file(path);
               save(p, dir / "copy.json");
             }) +
             "\n" + error_text([&] {
               plan p = rectify::io::load_ledger_file(path);
               p.log.push_back(make_event(p, request("P1.M2", action::start, "钱干事")));
               save(p, path);
             });
    });
    const std::string denied = "Permission denied (no permission to write in " + dir.path().string() + ")";
    const std::string no_temp = ": [rectify.io.write] cannot create a temporary file in " + dir.path().string() + ": ";
    CHECK(out == path + no_temp + denied + "\n" + dir / "copy.json" +
                     ": [rectify.io.write] cannot create the file: " + denied + "\n" + path + no_temp + denied);
  }

  CHECK(read_text(path) == before);
  CHECK(dir.names() == std::vector<std::string>{"ledger.json"});
  CHECK(verify(rectify::io::load_ledger_file(path)).ok());
}

TEST_CASE("ledger store: two processes appending 200 events each lose nothing", "[ledger][store][slow]") {
  temp_folder dir;
  const std::string path = dir / "ledger.json";
  fs::copy_file(kSmall, path);
  constexpr int kEach = 200;

  // Evidence is allowed in every state but closed, so any interleaving of the two writers is a
  // valid log; equal times are allowed, so both use one instant.
  auto writer = [&](const std::string& measure, const std::string& owner, const std::string& tag) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      int code = 0;
      for (int i = 1; i <= kEach && code == 0; ++i) {
        try {
          action_request req = request(measure, action::evidence, owner, "2026-05-01T10:00:00+08:00");
          req.note = tag + std::to_string(i);
          req.proof = evidence{"scan.pdf", rectify::sha256_hex(tag + std::to_string(i)), i};
          (void)act(path, req);
        } catch (const std::exception& e) {
          std::fprintf(stderr, "writer %s: %s\n", tag.c_str(), e.what());
          code = 1;
        }
      }
      ::_exit(code);
    }
    return pid;
  };
  const pid_t a = writer("P1.M1", "王干事", "A");
  const pid_t b = writer("P2.M2", "周干事", "B");
  int status_a = 0, status_b = 0;
  ::waitpid(a, &status_a, 0);
  ::waitpid(b, &status_b, 0);
  CHECK(WIFEXITED(status_a));
  CHECK(WEXITSTATUS(status_a) == 0);
  CHECK(WIFEXITED(status_b));
  CHECK(WEXITSTATUS(status_b) == 0);

  const plan p = rectify::io::load_ledger_file(path);
  REQUIRE(p.log.size() == 2 * kEach);
  const verify_report report = verify(p);
  CHECK(report.ok());
  if (!report.ok()) FAIL(report.failure->reason);
  // Each writer's events are all there, once, in the order it wrote them.
  int next_a = 1, next_b = 1, switches = 0;
  for (std::size_t i = 0; i < p.log.size(); ++i) {
    const event& e = p.log[i];
    CHECK(e.seq == static_cast<std::int64_t>(i) + 1);
    REQUIRE(e.note);
    if (e.measure == "P1.M1")
      CHECK(*e.note == "A" + std::to_string(next_a++));
    else
      CHECK(*e.note == "B" + std::to_string(next_b++));
    if (i > 0 && e.measure != p.log[i - 1].measure) ++switches;
  }
  CHECK(next_a == kEach + 1);
  CHECK(next_b == kEach + 1);
  INFO("the writers took turns " << switches << " times");
  CHECK(switches > 0);
  CHECK(dir.names() == std::vector<std::string>{"ledger.json"});
}

TEST_CASE("ledger store: a writer killed at random moments leaves the old or the new file", "[ledger][store][slow]") {
  temp_folder dir;
  const std::string path = dir / "ledger.json";
  fs::copy_file(kSmall, path);
  // Written once by a save, so that the file is a saved one even when the first child is killed
  // before its first act (kSmall is laid out by hand; on a loaded machine that happened).
  plan start = rectify::io::load_ledger_file(path);
  save(start, path);
  std::mt19937 rng(20260401);  // fixed, so that a failure can be replayed
  std::uniform_int_distribution<int> delay_us(0, 30000);
  std::vector<std::string> hashes;  // the log as last seen
  int grew = 0;

  for (int round = 0; round < 30; ++round) {
    // The child reports each finished act on a pipe. In odd rounds the parent waits for the
    // first report before its random delay, so some kills surely land after a write, however
    // slow the machine (a loaded CI runner may not finish one act within 30 ms).
    int done[2];
    REQUIRE(::pipe(done) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
      ::close(done[0]);
      for (int i = 0;; ++i) {
        try {
          action_request req = request("P1.M2", action::evidence, "钱干事", "2026-05-01T10:00:00+08:00");
          req.note = "round " + std::to_string(round) + " event " + std::to_string(i);
          req.proof = evidence{"photo.jpg", rectify::sha256_hex(*req.note), 100 + i};
          (void)act(path, req);
          if (::write(done[1], "x", 1) != 1) ::_exit(2);
        } catch (const std::exception& e) {
          std::fprintf(stderr, "killed-writer child, round %d: %s\n", round, e.what());  // why, in the test log
          ::_exit(1);
        } catch (...) {
          ::_exit(1);
        }
      }
    }
    ::close(done[1]);
    char byte = 0;
    if (round % 2 == 1) REQUIRE(::read(done[0], &byte, 1) == 1);
    std::this_thread::sleep_for(std::chrono::microseconds(delay_us(rng)));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    ::close(done[0]);
    INFO("round " << round << ", child wait status " << status << " (exit "
                  << (WIFEXITED(status) ? WEXITSTATUS(status) : -1) << ")");
    CHECK(WIFSIGNALED(status));

    // Whatever the moment, the file is a whole ledger that a save wrote...
    const std::string text = read_text(path);
    plan p;
    REQUIRE_NOTHROW(p = rectify::io::parse_ledger(text, path));
    CHECK(text == rectify::io::dump_ledger(p));
    const verify_report report = verify(p);
    CHECK(report.ok());
    // ...and it holds every event seen before, so nothing written was lost.
    REQUIRE(p.log.size() >= hashes.size());
    for (std::size_t i = 0; i < hashes.size(); ++i) CHECK(p.log[i].hash == hashes[i]);
    if (p.log.size() > hashes.size()) ++grew;
    hashes.clear();
    for (const event& e : p.log) hashes.push_back(e.hash);
  }
  INFO("the log grew in " << grew << " of 30 rounds, to " << hashes.size() << " events");
  CHECK(grew > 0);

  // Temporary files of killed writers may remain; they never matter: the ledger loads and the
  // lock is free for the next writer.
  write_text(dir / "photo.jpg", "photo");
  const event e =
      act(path, request("P1.M2", action::evidence, "钱干事", "2026-05-01T10:00:00+08:00"), dir / "photo.jpg");
  CHECK(e.seq == static_cast<std::int64_t>(hashes.size()) + 1);
  CHECK(verify(rectify::io::load_ledger_file(path)).ok());
  for (const std::string& n : dir.names())
    CHECK((n == "ledger.json" || n == "photo.jpg" || n.starts_with(".ledger.json.tmp-")));
}

TEST_CASE("ledger store: evidence is stored by its path relative to the ledger's folder", "[ledger][store]") {
  temp_folder dir;
  const std::string path = dir / "ledger.json";
  fs::copy_file(kSmall, path);
  (void)act(path, request("P1.M1", action::start, "王干事"));
  fs::create_directories(dir.path() / "scans/2026");
  write_text(dir / "scans/2026/记录.pdf", "abc");
  write_text(dir / "plan.txt", "abc");
  const std::string abc = "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad";
  const auto evidence_at = [&](const std::string& at, const std::string& file) {
    return act(path, request("P1.M1", action::evidence, "王干事", "2026-04-02T" + at + "+08:00"), file);
  };

  // Written with '.', a '..' that stays inside and a doubled '/': stored normalised.
  const event a = evidence_at("10:00:00", dir / "scans/./2026/../2026//记录.pdf");
  REQUIRE(a.proof);
  CHECK(a.proof->name == "scans/2026/记录.pdf");
  CHECK(a.proof->sha256 == abc);
  // A file beside the ledger is stored by its base name, as every name was before.
  CHECK(evidence_at("10:01:00", dir / "plan.txt").proof->name == "plan.txt");
  // A link inside the folder is stored as the file it leads to.
  fs::create_symlink(dir.path() / "scans/2026/记录.pdf", dir.path() / "link.pdf");
  CHECK(evidence_at("10:02:00", dir / "link.pdf").proof->name == "scans/2026/记录.pdf");
  // A ledger named by a relative path: relative to its folder, not to the working directory.
  CHECK(in_child([&] {
          if (::chdir((dir.path() / "scans").c_str()) != 0) return std::string("chdir failed");
          return act("../ledger.json", request("P1.M1", action::evidence, "王干事", "2026-04-02T10:03:00+08:00"),
                     "2026/记录.pdf")
              .proof->name;
        }) == "scans/2026/记录.pdf");
  const plan back = rectify::io::load_ledger_file(path);
  REQUIRE(back.log.size() == 5);
  CHECK(back.log[4].proof->name == "scans/2026/记录.pdf");
  CHECK(verify(back).ok());

  // Files outside the folder, however they are reached, are refused and the ledger is untouched.
  const std::string before = read_text(path);
  temp_folder other;
  write_text(other / "secret.pdf", "secret");
  fs::create_symlink(other / "secret.pdf", dir.path() / "out.pdf");
  fs::create_symlink(other.path(), dir.path() / "elsewhere");
  const std::string folder = fs::canonical(dir.path()).string();
  const std::string secret = fs::canonical(other.path() / "secret.pdf").string();
  const std::string fix =
      ": evidence is stored by its path relative to that folder, so copy the file into it (or a "
      "folder under it) and add the copy";
  const auto outside = [&](const std::string& given) {
    const std::string shown = given == secret ? "\"" + given + "\"" : "\"" + given + "\" (\"" + secret + "\")";
    return path + ": [rectify.ledger.evidence_outside] the evidence file " + shown +
           " is outside the ledger's folder \"" + folder + "\"" + fix;
  };
  CHECK(error_text([&] { (void)evidence_at("11:00:00", secret); }) == outside(secret));
  const std::string climbing = dir / ("scans/../../" + other.path().filename().string() + "/secret.pdf");
  CHECK(error_text([&] { (void)evidence_at("11:00:00", climbing); }) == outside(climbing));
  CHECK(error_text([&] { (void)evidence_at("11:00:00", dir / "out.pdf"); }) == outside(dir / "out.pdf"));
  CHECK(error_text([&] { (void)evidence_at("11:00:00", dir / "elsewhere/secret.pdf"); }) ==
        outside(dir / "elsewhere/secret.pdf"));
  // The ledger's own folder is not a file inside it.
  CHECK(error_text([&] { (void)evidence_at("11:00:00", dir.path().string()); }) ==
        folder + ": [rectify.io.open] cannot read the file: it is a directory");
  // A name the reader would refuse is never written: a backslash is a name character on POSIX.
  write_text(dir / "a\\b.pdf", "abc");
  CHECK(error_text([&] { (void)evidence_at("11:00:00", dir / "a\\b.pdf"); }) ==
        dir / "a\\b.pdf" +
            ": [rectify.ledger.bad_value] the evidence file cannot be stored by its path in the ledger's folder, "
            "\"a\\\\b.pdf\": it contains a backslash (folders are separated by '/'); rename it");
  // Nor can a request that carries a record of its own slip such a name past the guards.
  action_request forged = request("P1.M1", action::evidence, "王干事", "2026-04-02T11:00:00+08:00");
  forged.proof = evidence{"../secret.pdf", abc, 3};
  CHECK(error_text([&] { (void)act(path, forged); }) ==
        "[rectify.ledger.guard] P1.M1: evidence name \"../secret.pdf\" cannot be stored: it has a '..' component, "
        "which leads out of the ledger's folder");
  CHECK(read_text(path) == before);
}

TEST_CASE("ledger store: the rule for stored evidence names", "[ledger][store]") {
  for (const std::string good : {"plan.pdf", "scans/2026/记录.pdf", "./plan.pdf", "a..b.pdf", "..pdf", "x/.../y"})
    CHECK(evidence_name_problem(good).empty());
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"", "it is empty"},
      {"/etc/passwd", "it is an absolute path (store it relative to the ledger's folder)"},
      {"..", "it has a '..' component, which leads out of the ledger's folder"},
      {"../x.pdf", "it has a '..' component, which leads out of the ledger's folder"},
      {"a/../../x.pdf", "it has a '..' component, which leads out of the ledger's folder"},
      {"a/..", "it has a '..' component, which leads out of the ledger's folder"},
      {"a\\b.pdf", "it contains a backslash (folders are separated by '/')"},
      {"..\\x.pdf", "it contains a backslash (folders are separated by '/')"},
      {"a//b.pdf", "it has an empty component (a doubled or trailing '/')"},
      {"a/", "it has an empty component (a doubled or trailing '/')"},
      {std::string("a\0b.pdf", 7), "it contains a NUL character"},
  };
  for (const auto& [name, why] : bad) {
    INFO(name);
    CHECK(evidence_name_problem(name) == why);
  }
}

TEST_CASE("ledger store: the reader refuses stored evidence names that leave the folder", "[ledger][store]") {
  temp_folder dir;
  const std::string path = dir / "ledger.json";
  fs::copy_file(kSmall, path);
  (void)act(path, request("P1.M1", action::start, "王干事"));
  write_text(dir / "plan.txt", "abc");
  (void)act(path, request("P1.M1", action::evidence, "王干事", "2026-04-02T10:00:00+08:00"), dir / "plan.txt");
  const std::string text = read_text(path);
  const std::string stored = "\"name\": \"plan.txt\"";
  const auto at = text.find(stored);
  REQUIRE(at != std::string::npos);
  const auto with_name = [&](const std::string& json_name) {
    std::string t = text;
    t.replace(at, stored.size(), "\"name\": " + json_name);
    return t;
  };
  // The JSON spelling of each name, and the message's: every one is refused where it stands.
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"\"/etc/passwd\"",
       "\"/etc/passwd\" must be a path relative to the ledger's folder: it is an absolute path "
       "(store it relative to the ledger's folder)"},
      {"\"../x.pdf\"",
       "\"../x.pdf\" must be a path relative to the ledger's folder: it has a '..' component, which "
       "leads out of the ledger's folder"},
      {"\"a\\\\b.pdf\"",
       "\"a\\\\b.pdf\" must be a path relative to the ledger's folder: it contains a backslash "
       "(folders are separated by '/')"},
      {"\"a//b.pdf\"",
       "\"a//b.pdf\" must be a path relative to the ledger's folder: it has an empty component (a "
       "doubled or trailing '/')"},
      {"\"a\\u0000b.pdf\"",
       "\"a\\x00b.pdf\" must be a path relative to the ledger's folder: it contains a NUL character"},
  };
  for (const auto& [json_name, message] : bad) {
    INFO(json_name);
    CHECK(error_text([&] { (void)rectify::io::parse_ledger(with_name(json_name), "l.json"); }) ==
          "l.json: [rectify.ledger.bad_value] /log/1/evidence/name: " + message);
  }
  // Old ledgers name files by base name, and a '.' component stays inside the folder.
  CHECK(rectify::io::parse_ledger(text, "l.json").log[1].proof->name == "plan.txt");
  CHECK(rectify::io::parse_ledger(with_name("\"scans/2026/记录.pdf\""), "l.json").log[1].proof->name ==
        "scans/2026/记录.pdf");
}
