#include "json_text.hpp"

#include <algorithm>
#include <cstdio>
#include <utility>

namespace rectify::io::detail {

using json = nlohmann::json;

std::size_t edit_distance(std::string_view a, std::string_view b) {
  std::vector<std::size_t> row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    std::size_t diag = row[0];
    row[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      std::size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diag + (a[i - 1] == b[j - 1] ? 0u : 1u)});
      diag = up;
    }
  }
  return row[b.size()];
}

namespace {

// Builds the document from nlohmann's SAX events, as json_sax_dom_parser does, and refuses
// nothing but reports every repeated key: JSON objects may not repeat a key, and nlohmann keeps
// the last one silently, which would hide a typo in a hand-edited file. (nlohmann's callback
// parser could see the keys too, but in 3.11.2 its end_object scans the parent container after
// every object, which makes an array of n objects cost O(n^2): minutes for a large ledger.)
class dom_builder {
 public:
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  dom_builder(json& root, std::vector<problem>& dups, std::string code, const json_array_sink* sink)
      : root_(root), dups_(dups), code_(std::move(code)), sink_(sink) {}

  bool null() { return value(nullptr); }
  bool boolean(bool v) { return value(v); }
  bool number_integer(number_integer_t v) { return value(v); }
  bool number_unsigned(number_unsigned_t v) { return value(v); }
  bool number_float(number_float_t v, const string_t& /*text*/) { return value(v); }
  bool string(string_t& v) { return value(v); }
  bool binary(binary_t& v) { return value(std::move(v)); }

  bool start_object(std::size_t /*size*/) {
    if (stack_.size() >= max_json_depth) {
      too_deep_ = true;
      return false;  // stops the parse, without an exception
    }
    stack_.push_back({place(json::value_t::object), nullptr, 0, false});
    return true;
  }
  bool key(string_t& k) {
    frame& f = stack_.back();
    auto [it, fresh] = f.value->get_ptr<json::object_t*>()->try_emplace(k);
    if (!fresh)
      dups_.push_back(
          {code_, pointer_append(pointer(), k), "the key " + rectify::quoted(k) + " appears twice in one object", {}});
    f.key = &it->first;
    member_ = &it->second;
    stream_next_ = sink_ && stack_.size() == 1 && k == sink_->key;
    if (stream_next_) streamed_ = false;  // a repeated key: its last value counts
    return true;
  }
  bool end_object() { return end(); }
  bool start_array(std::size_t /*size*/) {
    if (stack_.size() >= max_json_depth) {
      too_deep_ = true;
      return false;
    }
    const bool stream = stream_next_ && stack_.size() == 1;
    stack_.push_back({place(json::value_t::array), nullptr, 0, stream});
    if (stream) {
      streamed_ = true;
      sink_->begin();
    }
    return true;
  }
  bool end_array() { return end(); }

  // Rethrows nlohmann's own exception (parse_error, out_of_range), as json::parse does.
  template <class Exception>
  bool parse_error(std::size_t /*position*/, const std::string& /*last_token*/, const Exception& ex) {
    throw ex;
  }

  [[nodiscard]] bool streamed() const noexcept { return streamed_; }
  [[nodiscard]] bool too_deep() const noexcept { return too_deep_; }

 private:
  struct frame {
    json* value = nullptr;
    const std::string* key = nullptr;  // objects: the member being read
    std::size_t count = 0;             // streamed arrays: elements handed over so far
    bool stream = false;               // the elements go to the sink
  };

  // Where a new value goes: the root, the element being streamed, the end of an array or the
  // member whose key came last.
  template <class V>
  json* place(V&& v) {
    if (stack_.empty()) {
      root_ = json(std::forward<V>(v));
      return &root_;
    }
    frame& f = stack_.back();
    if (f.stream) {
      element_ = json(std::forward<V>(v));
      return &element_;
    }
    if (f.value->is_array()) {
      auto* arr = f.value->get_ptr<json::array_t*>();
      arr->emplace_back(std::forward<V>(v));
      return &arr->back();
    }
    *member_ = json(std::forward<V>(v));
    return member_;
  }
  template <class V>
  bool value(V&& v) {
    place(std::forward<V>(v));
    if (!stack_.empty() && stack_.back().stream) hand_over();
    return true;
  }
  bool end() {
    stack_.pop_back();
    if (!stack_.empty() && stack_.back().stream) hand_over();
    return true;
  }
  void hand_over() {
    sink_->element(element_, stack_.back().count++);
    element_ = json();
  }
  // The JSON pointer of the object being read (the innermost frame).
  std::string pointer() const {
    std::string p;
    for (std::size_t i = 0; i + 1 < stack_.size(); ++i) {
      const frame& f = stack_[i];
      if (f.stream)
        p = pointer_append(p, f.count);
      else if (f.value->is_array())
        p = pointer_append(p, f.value->size() - 1);
      else
        p = pointer_append(p, *f.key);
    }
    return p;
  }

  json& root_;
  std::vector<problem>& dups_;
  std::string code_;
  const json_array_sink* sink_;
  std::vector<frame> stack_;
  json* member_ = nullptr;
  json element_;
  bool stream_next_ = false;
  bool streamed_ = false;
  bool too_deep_ = false;
};

// nlohmann's "last read" quotes raw bytes; bytes that are not UTF-8 (GBK text, binary
// garbage) are escaped as \xNN so that the message itself stays valid UTF-8.
std::string printable(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t n = c < 0x80                 ? 1
                    : c >= 0xC2 && c <= 0xDF ? 2
                    : c >= 0xE0 && c <= 0xEF ? 3
                    : c >= 0xF0 && c <= 0xF4 ? 4
                                             : 0;
    bool ok = n > 0 && i + n <= s.size();
    for (std::size_t k = 1; ok && k < n; ++k) ok = (static_cast<unsigned char>(s[i + k]) & 0xC0) == 0x80;
    if (ok) {
      out.append(s.substr(i, n));
      i += n;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
      ++i;
    }
  }
  return out;
}

// Where a SAX parse stopped. nlohmann reports a number that overflows a double (1e400) as
// out_of_range without a position; parsing again with this finds it.
struct stop_finder : json::json_sax_t {
  std::size_t position = 0;
  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return true; }
  bool key(string_t&) override { return true; }
  bool end_object() override { return true; }
  bool start_array(std::size_t) override { return true; }
  bool end_array() override { return true; }
  bool parse_error(std::size_t pos, const std::string&, const nlohmann::detail::exception&) override {
    position = pos;
    return false;
  }
};

// The offset of the first '[' or '{' that opens level `max_json_depth + 1`. Only called after
// the parser stopped there, so the text before it is valid JSON: brackets inside strings are the
// only ones to skip.
std::size_t too_deep_offset(std::string_view text) {
  std::size_t depth = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (c == '"') {
      for (++i; i < text.size() && text[i] != '"'; ++i)
        if (text[i] == '\\') ++i;
    } else if (c == '[' || c == '{') {
      if (++depth > max_json_depth) return i;
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return 0;
}

std::pair<std::size_t, std::size_t> line_col(std::string_view text, std::size_t byte) {
  std::size_t line = 1, col = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n')
      ++line, col = 1;
    else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80)
      ++col;  // count characters
  }
  return {line, col};
}

}  // namespace

std::string describe(const json& j) {
  switch (j.type()) {
    case json::value_t::null:
      return "null";
    case json::value_t::boolean:
      return "a boolean";
    case json::value_t::string:
      return "a string";
    case json::value_t::array:
      return "an array";
    case json::value_t::object:
      return "an object";
    case json::value_t::discarded:
      return "nothing";
    default:
      return "a number";
  }
}

std::string unknown_key_message(std::string_view key, std::initializer_list<std::string_view> allowed) {
  std::string msg = "unknown key " + rectify::quoted(key);
  std::string_view best;
  std::size_t best_d = 3;
  for (auto a : allowed) {
    std::size_t d = edit_distance(key, a);
    if (d < best_d) best_d = d, best = a;
  }
  if (!best.empty())
    msg += " (did you mean " + rectify::quoted(best) + "?)";
  else {
    msg += " (allowed:";
    for (auto a : allowed) {
      msg += ' ';  // not `" " + std::string(a)`: GCC 12 at -O3 warns (-Wrestrict) on that, wrongly
      msg += a;
    }
    msg += ")";
  }
  return msg;
}

json_text parse_json_text(std::string_view text, std::string_view source, std::string_view prefix,
                          std::string_view what, std::string_view placeholder, std::vector<problem>& out,
                          const json_array_sink* sink) {
  const std::string pre(prefix);
  json_text res;
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) {
    out.push_back({pre + ".syntax", "", "the file is empty; expected a JSON object", {}});
    res.status = json_text_status::syntax;
    return res;
  }
  auto place = [&](std::size_t byte) {
    auto [line, col] = line_col(text, byte);
    return std::string(source.empty() ? placeholder : source) + ":" + std::to_string(line) + ":" + std::to_string(col);
  };
  // nlohmann/json takes a NUL for the end of the text, which would accept a valid document
  // followed by anything; a NUL never belongs in JSON text.
  if (auto nul = text.find('\0'); nul != std::string_view::npos) {
    out.push_back({pre + ".syntax", "",
                   "this is not a text file (NUL byte); " + std::string(what) + " is UTF-8 JSON text", place(nul)});
    res.status = json_text_status::syntax;
    return res;
  }
  std::vector<problem> dups;
  try {
    dom_builder builder(res.doc, dups, pre + ".duplicate_key", sink);
    (void)json::sax_parse(text.begin(), text.end(), &builder, nlohmann::json::input_format_t::json, /*strict=*/true,
                          /*ignore_comments=*/false);
    if (builder.too_deep()) {
      out.push_back({pre + ".too_deep", "",
                     "arrays and objects are nested more than " + std::to_string(max_json_depth) +
                         " levels deep here; " + std::string(what) + " may nest at most " +
                         std::to_string(max_json_depth),
                     place(too_deep_offset(text))});
      res.doc = json();
      res.status = json_text_status::too_deep;
      return res;
    }
    res.streamed = builder.streamed();
  } catch (const json::parse_error& e) {
    // nlohmann's message reads "[json.exception.parse_error.101] parse error at line 3,
    // column 5: syntax error ..."; keep only the explanation and put the place in front.
    std::string whole = e.what();
    auto pos = whole.find(": ");
    std::string msg = pos == std::string::npos ? whole : whole.substr(pos + 2);
    if (auto p2 = msg.find("syntax error"); p2 != std::string::npos) msg = msg.substr(p2);
    std::string where = place(e.byte == 0 ? 0 : e.byte - 1);
    if (msg.find("invalid UTF-8") != std::string::npos || msg.find("ill-formed UTF-8") != std::string::npos)
      msg += " (the file must be UTF-8; a GBK file from an older editor must be re-saved as UTF-8)";
    if ((msg.find("invalid literal") != std::string::npos || msg.find("invalid number") != std::string::npos) &&
        e.byte > 0) {
      // Python's json.dump writes NaN and Infinity, which are not JSON.
      auto rest = text.substr(text.find_last_of(":[,", e.byte - 1) + 1);
      rest.remove_prefix(std::min(rest.find_first_not_of(" \t\r\n-"), rest.size()));
      if (rest.starts_with("NaN") || rest.starts_with("Infinity"))
        msg += " (NaN and Infinity are not JSON numbers; write a finite number)";
    }
    out.push_back({pre + ".syntax", "", printable(msg), where});
    res.status = json_text_status::syntax;
    return res;
  } catch (const json::out_of_range& e) {
    // "[json.exception.out_of_range.406] number overflow parsing '1e400'": valid JSON, but not
    // a finite double.
    std::string whole = e.what();
    auto open = whole.find('\''), close = whole.rfind('\'');
    std::string number = open < close ? whole.substr(open + 1, close - open - 1) : whole;
    stop_finder finder;
    (void)json::sax_parse(text.begin(), text.end(), &finder);
    out.push_back({pre + ".bad_number", "",
                   "number " + printable(number) + " is out of the range of a double (numbers must be finite)",
                   place(finder.position == 0 ? 0 : finder.position - 1)});
    res.status = json_text_status::overflow;
    return res;
  }
  for (auto& d : dups) out.push_back(std::move(d));
  return res;
}

bool json_reader::object(const nlohmann::json& j, const std::string& path, std::string_view what) {
  if (j.is_object()) return true;
  add(family_ + ".type", path, std::string(what) + " must be an object, not " + describe(j));
  return false;
}

bool json_reader::array(const nlohmann::json& j, const std::string& path) {
  if (j.is_array()) return true;
  add(family_ + ".type", path, "must be an array, not " + describe(j));
  return false;
}

void json_reader::keys(const nlohmann::json& j, const std::string& path,
                       std::initializer_list<std::string_view> allowed) {
  for (const auto& [k, v] : j.get_ref<const nlohmann::json::object_t&>()) {
    if (std::find(allowed.begin(), allowed.end(), k) != allowed.end()) continue;
    add(family_ + ".unknown_key", pointer_append(path, k), unknown_key_message(k, allowed));
  }
}

}  // namespace rectify::io::detail
