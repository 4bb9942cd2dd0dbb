#pragma once
// Reading JSON text the way every rectify file format does (schemes, ledgers): one place for
// the syntax, encoding and duplicate-key problems and their positions, so that the formats
// report them alike. Private to src/io (it includes nlohmann/json).
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "rectify/core/error.hpp"

namespace rectify::io::detail {

/// Levenshtein distance between two byte strings, for "did you mean" suggestions.
[[nodiscard]] std::size_t edit_distance(std::string_view a, std::string_view b);

/// How a parse ended: a document, a text that is not JSON (`<prefix>.syntax`), JSON with a
/// number beyond a double (`<prefix>.bad_number`), or arrays and objects nested deeper than
/// `max_json_depth` (`<prefix>.too_deep`).
enum class json_text_status { ok, syntax, overflow, too_deep };

/// How deep arrays and objects may nest in any JSON file rectify reads. No format needs more
/// than about 140 levels (a scheme's 64 indicator levels take two each); the limit keeps a
/// hostile file from making any later walk of the tree, or a message's JSON pointer, cost
/// memory and time in proportion to its depth.
inline constexpr std::size_t max_json_depth = 512;

struct json_text {
  nlohmann::json doc;  ///< set when `status` is ok
  json_text_status status = json_text_status::ok;
  /// The root object's member named by the sink was an array whose elements went to the sink:
  /// `doc` holds an empty array in its place.
  bool streamed = false;
};

/// Takes the elements of one array member of the root object (a ledger's `log`) one at a time
/// as they are parsed, instead of the document keeping them all as a tree: a million events
/// are then read without a million JSON objects alive at once.
struct json_array_sink {
  std::string_view key;  ///< the root object's member whose array is streamed
  /// Called when that member's array starts; again for a repeated key (the last one counts).
  std::function<void()> begin;
  /// Each complete element with its 0-based index; the element may be moved from.
  std::function<void(nlohmann::json&, std::size_t)> element;
};

/// Parses `text`, appending problems to `out` with codes `<prefix>.syntax`,
/// `<prefix>.duplicate_key`, `<prefix>.bad_number` and `<prefix>.too_deep` (`prefix` e.g.
/// "rectify.scheme"). A syntax, number or depth problem carries `source:line:column` in its
/// `source`; duplicate keys carry a
/// JSON pointer and an empty source (the caller names the file). `what` names the document in
/// messages ("a scheme"); `placeholder` stands in for an empty `source` ("<scheme>"). A repeated
/// key is reported but the document is still returned (nlohmann keeps the last value).
/// With a `sink`, the elements of the root object's `sink->key` array go to the sink (see
/// `json_array_sink`); everything else, problems included, is as without one.
[[nodiscard]] json_text parse_json_text(std::string_view text, std::string_view source, std::string_view prefix,
                                        std::string_view what, std::string_view placeholder, std::vector<problem>& out,
                                        const json_array_sink* sink = nullptr);

/// "a string", "an array", "null"...: the type of a JSON value for a message.
[[nodiscard]] std::string describe(const nlohmann::json& j);

/// `unknown key "nmae" (did you mean "name"?)`, or `(allowed: a b c)` when nothing is close.
[[nodiscard]] std::string unknown_key_message(std::string_view key, std::initializer_list<std::string_view> allowed);

/// What the scheme and ledger readers share: collecting problems, and the shape checks every
/// object of either format goes through, reported under the format's code family
/// (`rectify.scheme.type`, `rectify.ledger.unknown_key`...).
class json_reader {
 public:
  json_reader(std::vector<problem>& out, std::string_view family) : out_(out), family_(family) {}

  void add(std::string code, std::string path, std::string message) {
    out_.push_back({std::move(code), std::move(path), std::move(message), {}});
  }
  /// An object, or `<family>.type` naming `what` ("a measure must be an object, not ...").
  bool object(const nlohmann::json& j, const std::string& path, std::string_view what);
  /// An array, or `<family>.type`.
  bool array(const nlohmann::json& j, const std::string& path);
  /// Reports every key of object `j` not in `allowed` as `<family>.unknown_key`.
  void keys(const nlohmann::json& j, const std::string& path, std::initializer_list<std::string_view> allowed);

 protected:
  std::vector<problem>& out_;
  std::string family_;
};

}  // namespace rectify::io::detail
