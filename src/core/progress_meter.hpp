#pragma once
// The progress of one long call (rectify/core/progress.hpp), shared by SMAA and copy detection.
// Private to the library (src/), not installed.
#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <exception>
#include <mutex>
#include <thread>
#include <vector>

#include "rectify/core/error.hpp"
#include "rectify/core/progress.hpp"

namespace rectify::detail {

// Work runs in phases, each a number of items mapped onto a stretch ("span") of the fixed scale
// 0..total; worker threads only add the items they finish to an atomic counter, and the calling
// thread alone turns the count into a position and calls the callback, when the position has
// moved by a step (a hundredth of total, rounded up) and at the start and end. Without a
// callback every member is a no-op but `add`'s relaxed increment, done once per chunk of work.
class progress_meter {
 public:
  progress_meter(const progress_callback& f, std::size_t total)
      : f_(f), total_(total), step_(std::max<std::size_t>(1, (total + 99) / 100)) {}

  [[nodiscard]] bool active() const noexcept { return static_cast<bool>(f_); }

  /// The next `items` items move the position by `span` from where the previous phase ended.
  void phase(std::size_t items, std::size_t span) {
    base_ += span_;
    span_ = span;
    items_ = items;
    done_.store(0, std::memory_order_relaxed);
  }

  void add(std::size_t items) noexcept {
    if (active()) done_.fetch_add(items, std::memory_order_relaxed);
  }

  /// Calling thread only: calls back if the position moved by a step (or first of all).
  void poll() {
    if (!active()) return;
    const std::size_t at = position();
    if (!called_ || at >= last_ + step_) call(at);
  }

  /// Calling thread only: the last call, at total.
  void finish() {
    if (active() && (!called_ || last_ != total_)) call(total_);
  }

 private:
  [[nodiscard]] std::size_t position() const noexcept {
    const std::size_t done = std::min(done_.load(std::memory_order_relaxed), items_);
    // In double: span × done may not fit 64 bits; rounding is monotone, so the position is too.
    const std::size_t moved =
        done >= items_
            ? span_
            : std::min(span_, static_cast<std::size_t>(static_cast<double>(span_) * static_cast<double>(done) /
                                                       static_cast<double>(items_)));
    return std::min(total_, base_ + moved);
  }

  void call(std::size_t at) {
    called_ = true;
    last_ = at;
    if (!f_(at, total_)) raise("rectify.cancelled", "", "cancelled by the progress callback");
  }

  const progress_callback& f_;
  std::size_t total_, step_;
  std::size_t base_ = 0, span_ = 0, items_ = 0, last_ = 0;
  bool called_ = false;
  std::atomic<std::size_t> done_{0};
};

/// Runs body(t) for t in [0, threads) on `threads` new threads while the calling thread polls
/// `meter` (so the callback never runs on a worker). If the callback cancels or throws, `failed`
/// is set, so that the workers stop after their current piece of work, and the callback's
/// exception is returned once they have all finished (nullptr otherwise).
template <class Body>
[[nodiscard]] std::exception_ptr run_polled(unsigned threads, const Body& body, progress_meter& meter,
                                            std::atomic<bool>& failed) {
  std::mutex mutex;
  std::condition_variable wake;
  std::exception_ptr stopped;
  unsigned running = threads;
  std::vector<std::thread> pool;
  pool.reserve(threads);
  for (unsigned t = 0; t < threads; ++t)
    pool.emplace_back([&, t] {
      body(t);
      const std::lock_guard<std::mutex> lock(mutex);
      --running;
      wake.notify_one();
    });
  std::unique_lock<std::mutex> lock(mutex);
  while (running > 0) {
    wake.wait_for(lock, std::chrono::milliseconds(20));
    if (stopped || running == 0) continue;
    lock.unlock();
    try {
      meter.poll();
    } catch (...) {
      stopped = std::current_exception();
      failed.store(true);
    }
    lock.lock();
  }
  lock.unlock();
  for (auto& th : pool) th.join();
  return stopped;
}

}  // namespace rectify::detail
