#include "rectify/core/error.hpp"

#include <cstdio>

namespace rectify {

std::string problem::str() const {
  std::string out;
  if (!source.empty()) out += source + ": ";
  out += "[" + code + "] ";
  if (!path.empty()) out += path + ": ";
  out += message;
  return out;
}

namespace {
std::string join(const std::vector<problem>& ps) {
  std::string out;
  for (const auto& p : ps) {
    if (!out.empty()) out += '\n';
    out += p.str();
  }
  return out;
}
}  // namespace

error::error(problem p) : error(std::vector<problem>{std::move(p)}) {}

error::error(std::vector<problem> ps)
    : std::runtime_error(
          join(ps.empty() ? std::vector<problem>{{"rectify.internal", "", "error without a problem", ""}} : ps)),
      problems_(ps.empty() ? std::vector<problem>{{"rectify.internal", "", "error without a problem", ""}}
                           : std::move(ps)) {}

void raise(std::string code, std::string path, std::string message, std::string source) {
  throw error(problem{std::move(code), std::move(path), std::move(message), std::move(source)});
}

void raise(std::vector<problem> ps) {
  throw error(std::move(ps));
}

std::string pointer_append(std::string_view base, std::string_view key) {
  std::string out(base);
  out += '/';
  for (char c : key) {
    if (c == '~')
      out += "~0";
    else if (c == '/')
      out += "~1";
    else
      out += c;
  }
  return out;
}

std::string pointer_append(std::string_view base, std::size_t index) {
  return std::string(base) + "/" + std::to_string(index);
}

std::string number_text(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.12g", v);
  return buf;
}

std::string decimal_text(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  std::string s = buf;
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s == "-0" ? "0" : s;
}

std::string byte_text(unsigned char b) {
  constexpr char digits[] = "0123456789abcdef";
  std::string s = "0x";
  s += digits[b >> 4];
  s += digits[b & 0xF];
  return s;
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') {
      out += '\\';
      out += static_cast<char>(c);
    } else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace rectify
