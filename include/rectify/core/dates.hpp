#pragma once
/// Calendar dates and instants with a UTC offset, as the ledger's files write them
/// (`2026-06-30`, `2026-04-02T09:30:00+08:00`). Proleptic Gregorian, no time-zone database:
/// an instant carries the offset it was written with, and its calendar date is read in that
/// offset (ledger.md §4), so no local-time rules are needed.
#include <compare>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace rectify {

/// A calendar day, stored as days since 1970-01-01 so that differences are whole days.
struct date {
  std::int32_t days = 0;

  /// Parses exactly `YYYY-MM-DD` (four-digit year 0001–9999, a real day of that month:
  /// `2026-02-29` and `2026-13-01` are refused). Returns nothing when the text is not one.
  [[nodiscard]] static std::optional<date> parse(std::string_view text) noexcept;
  /// The day `y-m-d`; the caller guarantees it exists.
  [[nodiscard]] static date from_ymd(int y, int m, int d) noexcept;

  /// `YYYY-MM-DD`.
  [[nodiscard]] std::string str() const;
  [[nodiscard]] int year() const noexcept;
  [[nodiscard]] int month() const noexcept;
  [[nodiscard]] int day() const noexcept;

  friend auto operator<=>(const date&, const date&) = default;
  friend bool operator==(const date&, const date&) = default;
  /// Whole days from `b` to `a` (`a - b`).
  friend std::int32_t operator-(date a, date b) noexcept { return a.days - b.days; }
  friend date operator+(date a, std::int32_t n) noexcept { return date{a.days + n}; }
};

/// An instant written with the UTC offset it was recorded in.
struct timestamp {
  std::int64_t utc_seconds = 0;     ///< seconds since 1970-01-01T00:00:00Z
  std::int32_t offset_minutes = 0;  ///< e.g. +480 for +08:00

  /// Parses `YYYY-MM-DDTHH:MM:SS` followed by `Z` or `±HH:MM` (fractional seconds
  /// `.123` allowed and dropped; a space instead of `T` is refused). A text without an offset
  /// is refused: an instant must say where it was recorded (ledger.md §1).
  [[nodiscard]] static std::optional<timestamp> parse(std::string_view text) noexcept;
  /// Now, in the machine's local time with its current offset.
  [[nodiscard]] static timestamp now_local();

  /// The calendar date in the instant's own offset.
  [[nodiscard]] date local_date() const noexcept;
  /// `YYYY-MM-DDTHH:MM:SS±HH:MM` (`+00:00` for UTC).
  [[nodiscard]] std::string str() const;

  /// Instants compare by `utc_seconds` only: 09:30+08:00 equals 01:30Z.
  friend std::strong_ordering operator<=>(const timestamp& a, const timestamp& b) noexcept {
    return a.utc_seconds <=> b.utc_seconds;
  }
  friend bool operator==(const timestamp& a, const timestamp& b) noexcept { return a.utc_seconds == b.utc_seconds; }
};

}  // namespace rectify
