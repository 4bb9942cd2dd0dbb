// `rectify report`: the leaders' report (docs/workbench.md) is built in Python with matplotlib,
// so the command line runs it git-style instead of linking Python: it replaces itself (execvp,
// no shell, so arguments reach Python byte for byte) with `$RECTIFY_PYTHON -c BOOT`, or else
// `rectify-report` beside this executable (a pip install puts both in the environment's bin/,
// which need not be on PATH), or from PATH, or else `python3 -c BOOT`. BOOT is `python -m rectify.report`
// with one difference: a Python without the package says so and exits 2 instead of 1, so that
// "cannot run" is not mistaken for "bad input".
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>
#include <system_error>
#include <vector>

#include "cli.hpp"

namespace rectify::cli {
namespace {

constexpr const char* kInstall = "install it with: pip install 'rectify[plot]'";

// `python -c BOOT ARGS...` runs rectify.report's main() on ARGS; sys.argv[0] is "-c".
constexpr const char* kBoot =
    "import sys\n"
    "try:\n"
    "    from rectify.report import main\n"
    "except ImportError as e:\n"
    "    sys.stderr.write('rectify: report: this Python (%s) cannot import rectify.report: %s\\n"
    "rectify: install it with: pip install \\'rectify[plot]\\'\\n' % (sys.executable, e))\n"
    "    sys.exit(2)\n"
    "sys.exit(main(sys.argv[1:]))\n";

// Replaces this process with `file args...`; returns only when that cannot be done, with errno.
int exec_with(const std::string& file, const std::vector<std::string>& head, const std::vector<std::string>& args) {
  std::vector<std::string> all;
  all.reserve(1 + head.size() + args.size());
  all.push_back(file);
  all.insert(all.end(), head.begin(), head.end());
  all.insert(all.end(), args.begin(), args.end());
  std::vector<char*> argv;
  argv.reserve(all.size() + 1);
  for (auto& a : all) argv.push_back(a.data());
  argv.push_back(nullptr);
  std::fflush(stdout);
  std::fflush(stderr);
  ::execvp(file.c_str(), argv.data());
  return errno;
}

}  // namespace

void report_command::add_to(CLI::App& app) {
  sub_ = app.add_subcommand("report",
                            "the report for leaders: one self-contained HTML file (runs rectify-report from the "
                            "Python package; `rectify report --help` for its options)");
  // Every argument, --help included, belongs to the Python program: none is parsed here.
  sub_->set_help_flag();
  sub_->prefix_command();
  sub_->allow_extras();
}

int report_command::run(int argc, char** argv) const {
  // The arguments after the word `report`, exactly as given (CLI11's extras would drop a `--`).
  std::vector<std::string> args;
  int first = 1;
  while (first < argc && std::strcmp(argv[first], "report") != 0) ++first;
  for (int i = first + 1; i < argc; ++i) args.emplace_back(argv[i]);

  if (const char* python = std::getenv("RECTIFY_PYTHON"); python != nullptr && *python != '\0') {
    int err = exec_with(python, {"-c", kBoot}, args);
    std::fprintf(stderr, "rectify: report: cannot run RECTIFY_PYTHON=%s: %s\n", python, std::strerror(err));
    return 2;
  }
  std::error_code ec;
  auto self = std::filesystem::read_symlink("/proc/self/exe", ec);
  if (!ec) {
    auto beside = self.parent_path() / "rectify-report";
    if (::access(beside.c_str(), X_OK) == 0) (void)exec_with(beside.string(), {}, args);
  }
  int err = exec_with("rectify-report", {}, args);
  if (err == ENOENT || err == EACCES || err == ENOTDIR) err = exec_with("python3", {"-c", kBoot}, args);
  std::fprintf(stderr,
               "rectify: report: the report is made by the Python package, and neither `rectify-report` nor "
               "`python3` could be run (%s)\nrectify: %s, or set RECTIFY_PYTHON to the Python that has it\n",
               std::strerror(err), kInstall);
  return 2;
}

}  // namespace rectify::cli
