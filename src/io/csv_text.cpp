#include "csv_text.hpp"

#include <iconv.h>
#include <sys/stat.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <memory>

namespace rectify::io::detail {
namespace {

constexpr std::size_t npos = std::string_view::npos;

// ---------------------------------------------------------------------------------------------
// Encodings

enum class encoding { utf8, gbk, gb18030 };

std::optional<encoding> parse_encoding(std::string_view name) {
  std::string lower(name);
  for (char& c : lower)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  if (lower == "utf-8" || lower == "utf8") return encoding::utf8;
  if (lower == "gbk") return encoding::gbk;
  if (lower == "gb18030") return encoding::gb18030;
  return std::nullopt;
}

const char* iconv_name(encoding e) noexcept {
  return e == encoding::gbk ? "GBK" : "GB18030";
}

struct converted {
  std::string text;
  std::size_t bad = npos;  ///< offset in the input of the first byte iconv rejected
};

// Converts `bytes` to UTF-8 with glibc's iconv; `bad` is set instead of throwing so that the
// caller can locate the byte.
converted to_utf8(std::string_view bytes, encoding from, std::string_view source) {
  iconv_t cd = iconv_open("UTF-8", iconv_name(from));
  if (cd == reinterpret_cast<iconv_t>(-1))
    raise("rectify.data.encoding", "",
          std::string("cannot convert from ") + iconv_name(from) + ": " + std::strerror(errno), std::string(source));
  std::unique_ptr<void, int (*)(iconv_t)> guard(cd, &iconv_close);

  converted out;
  out.text.resize(bytes.size() * 2 + 16);      // GBK's two bytes become at most three
  char* in = const_cast<char*>(bytes.data());  // iconv(3) does not write through it
  std::size_t in_left = bytes.size();
  std::size_t used = 0;
  while (in_left > 0) {
    char* o = out.text.data() + used;
    std::size_t o_left = out.text.size() - used;
    const std::size_t r = iconv(cd, &in, &in_left, &o, &o_left);
    const int err = errno;
    used = static_cast<std::size_t>(o - out.text.data());
    if (r != static_cast<std::size_t>(-1)) continue;
    if (err == E2BIG) {
      out.text.resize(out.text.size() * 2);
      continue;
    }
    out.bad = static_cast<std::size_t>(in - bytes.data());  // EILSEQ, or EINVAL at the end
    break;
  }
  out.text.resize(used);
  return out;
}

// Finds the field (1-based) that the byte at `offset` falls in, for encoding errors.
std::size_t column_of(std::string_view text, std::size_t offset) {
  struct ignore {
    bool field(std::string_view, std::size_t, std::size_t) { return true; }
    bool row(std::size_t, std::size_t) { return true; }
  } sink;
  tokenizer<ignore> t(sink);
  t.feed(text.substr(0, offset));
  return t.fields() + 1;
}

[[noreturn]] void raise_encoding(std::string_view text, std::size_t offset, std::size_t shift, std::string message_head,
                                 std::string advice, std::string_view source) {
  raise("rectify.data.encoding", "",
        std::move(message_head) + " (byte " + byte_text(static_cast<unsigned char>(text[offset])) + " at offset " +
            std::to_string(offset + shift) + ")" + std::move(advice),
        at(source, line_of(text, offset), column_of(text, offset)));
}

}  // namespace

std::string at(std::string_view source, std::size_t line, std::size_t column) {
  std::string s(source);
  s += ':';
  s += std::to_string(line);
  if (column != 0) {
    s += ':';
    s += std::to_string(column);
  }
  return s;
}

std::string shown(std::string_view s) {
  constexpr std::size_t limit = 60;
  if (s.size() <= limit) return quoted(s);
  std::size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return quoted(std::string(s.substr(0, cut)) + "...");
}

std::size_t line_of(std::string_view text, std::size_t offset) noexcept {
  std::size_t line = 1;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n')
      ++line;
    else if (text[i] == '\r' && (i + 1 >= text.size() || text[i + 1] != '\n'))
      ++line;
  }
  return line;
}

std::string_view decode_csv(std::string_view bytes, std::string_view source, const csv_options& options,
                            std::string& storage) {
  const auto enc = parse_encoding(options.encoding);
  if (!enc)
    raise("rectify.data.encoding", "",
          "unknown encoding " + quoted(options.encoding) + ": use \"utf-8\", \"gbk\" or \"gb18030\"",
          std::string(source));
  if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF"))
    raise("rectify.data.encoding", "",
          "the file is UTF-16 text (Excel's \"Unicode Text\"), not UTF-8: save it as \"CSV "
          "UTF-8\"",
          std::string(source));
  if (const auto nul = bytes.find('\0'); nul != npos)
    raise("rectify.data.binary", "",
          "this is not a text CSV file (NUL byte at line " + std::to_string(line_of(bytes, nul)) +
              "); an Excel workbook? save it as CSV UTF-8",
          std::string(source));

  std::string_view text = bytes;
  const bool bom = text.starts_with(utf8_bom);
  if (bom) text.remove_prefix(utf8_bom.size());
  if (*enc != encoding::utf8 && !bom) {
    converted c = to_utf8(text, *enc, source);
    if (c.bad != npos)
      raise_encoding(text, c.bad, 0, std::string("invalid ") + iconv_name(*enc),
                     find_invalid_utf8(text) == npos ? ": the file looks like UTF-8; read it without --encoding"
                                                     : ": save the file as \"CSV UTF-8\"",
                     source);
    storage = std::move(c.text);
    text = storage;
    if (text.starts_with(utf8_bom)) text.remove_prefix(utf8_bom.size());  // GB18030's BOM
  } else if (const auto bad = find_invalid_utf8(text); bad != npos) {
    raise_encoding(text, bad, bom ? utf8_bom.size() : 0, "invalid UTF-8",
                   to_utf8(text, encoding::gb18030, source).bad == npos
                       ? ": the file looks like GBK/GB18030, as Excel saves CSV on Chinese "
                         "Windows; read it with --encoding gbk, or save it from Excel as \"CSV "
                         "UTF-8\""
                       : ", and not GBK/GB18030 either: save the file as \"CSV UTF-8\"",
                   source);
  }
  return text;
}

std::string read_csv_bytes(const std::string& path) {
  const auto fail = [&](int err) {
    raise("rectify.io.open", "", std::string("cannot read the file: ") + std::strerror(err), path);
  };
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> f(std::fopen(path.c_str(), "rb"), &std::fclose);
  if (!f) fail(errno);
  std::string bytes;
  // One buffer of the file's size (plus one byte, to see the end without growing) instead of
  // doubling from 64 KiB: a 60 MB file would otherwise be copied and zero-filled eleven times.
  // Pipes and files that grow meanwhile still work: the loop below grows the buffer as needed.
  // Only a regular file's size means anything (a directory's can be LONG_MAX).
  struct stat st {};
  if (::fstat(::fileno(f.get()), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
    bytes.resize(static_cast<std::size_t>(st.st_size) + 1);
  std::size_t used = 0;
  for (;;) {
    if (used == bytes.size()) bytes.resize(std::max<std::size_t>(bytes.size() * 2, 1 << 16));
    used += std::fread(bytes.data() + used, 1, bytes.size() - used, f.get());
    if (used < bytes.size()) break;
  }
  if (std::ferror(f.get())) fail(errno);
  bytes.resize(used);
  return bytes;
}

}  // namespace rectify::io::detail
