#pragma once
/// Progress of long calls (SMAA, copy detection): an optional callback, called only from the
/// thread that made the call, at the start, each time the work done moves by a hundredth and at
/// the end, with the work done so far and the total. Returning false cancels the call, which
/// then throws `rectify::error` with code `rectify.cancelled`; an exception the callback throws
/// comes out of the call unchanged. Either way nothing is left half-done.
#include <cstddef>
#include <functional>

namespace rectify {

using progress_callback = std::function<bool(std::size_t done, std::size_t total)>;

}  // namespace rectify
