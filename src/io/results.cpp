#include "rectify/io/results.hpp"

#include <charconv>
#include <cmath>
#include <nlohmann/json.hpp>
#include <numeric>
#include <optional>

namespace rectify::io {

using ojson = nlohmann::ordered_json;

std::string format_double(double v) {
  if (std::isnan(v)) return "";
  if (v == 0) return "0";  // also folds -0
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, end);
}

namespace {

std::string fixed2(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  std::string s = buf;
  if (s == "-0.00") s = "0.00";
  return s;
}

std::string fixed4(double v) {
  char buf[48];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

std::vector<std::uint32_t> rank_order(const assess::result& r) {
  std::vector<std::uint32_t> order(r.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return r.rank[a] < r.rank[b]; });
  return order;
}

// Decodes one UTF-8 code point (already validated input; bad bytes count as width 1).
char32_t next_cp(std::string_view s, std::size_t& i) {
  auto c = static_cast<unsigned char>(s[i++]);
  if (c < 0x80) return c;
  int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
  char32_t cp = c & (0x3F >> extra);
  for (int k = 0; k < extra && i < s.size(); ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[i++]) & 0x3F);
  return cp;
}

// The plan the cohort was scored with: cohort weights put in from the result, so that the
// explanations use the children's derived points. `holder` keeps a resolved copy alive.
const assess::plan& scored_plan(const assess::plan& p, const assess::result& r, std::optional<assess::plan>& holder) {
  if (!p.needs_cohort()) return p;
  holder = assess::with_weights(p, r.derived);
  return *holder;
}

ojson weights_json(const assess::plan& p, const assess::result& r) {
  ojson out = ojson::array();
  for (const auto& d : r.derived) {
    ojson g;
    g["node"] = p.nodes[static_cast<std::size_t>(d.node)].id;
    g["path"] = d.path;
    g["method"] = assess::to_string(d.method);
    g["points"] = d.points;
    ojson children = ojson::array();
    for (std::size_t c = 0; c < d.children.size(); ++c) {
      const double w = d.weights[static_cast<Eigen::Index>(c)];
      children.push_back(ojson{
          {"node", p.nodes[static_cast<std::size_t>(d.children[c])].id}, {"weight", w}, {"points", d.points * w}});
    }
    g["children"] = std::move(children);
    if (d.method == assess::weights_method::ahp) {
      g["lambda_max"] = d.lambda_max;
      g["ci"] = d.ci;
      g["cr"] = d.cr;
    } else {
      g["units"] = d.units;
      g["equal_fallback"] = d.equal_fallback;
    }
    out.push_back(std::move(g));
  }
  return out;
}

std::string weights_block(const assess::plan& p, const assess::result& r, bool zh) {
  if (r.derived.empty()) return "";
  std::string out = zh ? "派生权重:\n" : "derived weights:\n";
  std::size_t width = 0;
  for (const auto& d : r.derived)
    for (int c : d.children) width = std::max(width, display_width(p.nodes[static_cast<std::size_t>(c)].id));
  for (const auto& d : r.derived) {
    const std::string& head = p.nodes[static_cast<std::size_t>(d.node)].id;
    std::string sep = zh ? "," : ", ";
    std::string about = assess::to_string(d.method);
    if (d.method == assess::weights_method::ahp)
      about += sep + "λmax = " + decimal_text(d.lambda_max) + sep + "CI = " + decimal_text(d.ci) + sep +
               "CR = " + decimal_text(d.cr);
    else
      about += sep + (zh ? std::to_string(d.units) + " 个单位" : "from " + std::to_string(d.units) + " units");
    if (d.equal_fallback)
      about += sep + (zh ? "各项得分率无差别,取等权" : "no differences between the children: equal weights");
    out += "  " + head + (zh ? "(" + about + ")\n" : " (" + about + ")\n");
    for (std::size_t c = 0; c < d.children.size(); ++c) {
      const auto& id = p.nodes[static_cast<std::size_t>(d.children[c])].id;
      const double w = d.weights[static_cast<Eigen::Index>(c)];
      out += "    " + id + std::string(width - display_width(id), ' ') + "  " + fixed4(w) + "  " +
             fixed2(d.points * w) + (zh ? " 分\n" : " points\n");
    }
  }
  return out;
}

}  // namespace

std::size_t display_width(std::string_view s) {
  std::size_t w = 0;
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = next_cp(s, i);
    bool wide = (cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF && cp != 0x303F) ||
                (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
                (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD);
    bool zero = (cp >= 0x300 && cp <= 0x36F) || cp == 0x200B;
    w += zero ? 0 : wide ? 2 : 1;
  }
  return w;
}

std::string result_json(const assess::plan& p, const table_view& data, const assess::result& r, assess::lang language) {
  ojson doc;
  doc["scheme"] = p.id;
  if (!r.derived.empty()) doc["weights"] = weights_json(p, r);
  std::optional<assess::plan> holder;
  const assess::plan& scored = scored_plan(p, r, holder);
  ojson units = ojson::array();
  for (std::size_t i = 0; i < r.size(); ++i) {
    const auto e = static_cast<Eigen::Index>(i);
    ojson u;
    u["unit"] = data.units[i];
    u["score"] = r.score[e];
    u["base"] = r.base[e];
    u["bonus"] = r.bonus[e];
    u["penalty"] = r.penalty[e];
    u["band"] = p.grades[static_cast<std::size_t>(r.band[e])].name;
    u["grade"] = p.grades[static_cast<std::size_t>(r.grade[e])].name;
    u["rank"] = r.rank[e];
    ojson vetoes = ojson::array();
    for (int v : r.vetoes(i)) vetoes.push_back(p.vetoes[static_cast<std::size_t>(v)].id);
    u["vetoes"] = std::move(vetoes);
    ojson missing = ojson::array();
    for (int m : r.missing(i)) missing.push_back(p.inputs[static_cast<std::size_t>(m)]);
    u["missing"] = std::move(missing);
    ojson nodes = ojson::object();
    if (r.nodes.size() > 0)
      for (std::size_t k = 0; k < p.nodes.size(); ++k) {
        double v = r.nodes(e, static_cast<Eigen::Index>(k));
        if (!std::isnan(v)) nodes[p.nodes[k].id] = v;
      }
    u["nodes"] = std::move(nodes);
    ojson lost = ojson::array();
    for (const auto& l : assess::explain(scored, data, i, language))
      lost.push_back(ojson{{"node", l.node}, {"points", l.points}, {"why", l.why}});
    u["lost"] = std::move(lost);
    units.push_back(std::move(u));
  }
  doc["units"] = std::move(units);
  return doc.dump(2, ' ', false, ojson::error_handler_t::strict) + "\n";
}

std::string result_csv(const assess::plan& p, const table_view& data, const assess::result& r) {
  std::string out = "unit,score,base,bonus,penalty,band,grade,rank";
  const bool nodes = r.nodes.size() > 0;
  if (nodes)
    for (const auto& nd : p.nodes) out += "," + csv_field(nd.id);
  out += "\n";
  for (std::size_t i = 0; i < r.size(); ++i) {
    const auto e = static_cast<Eigen::Index>(i);
    out += csv_field(data.units[i]);
    // Appends field by field ("," then the field): cheaper than "," + field, and GCC 12 -O3
    // warns falsely (-Wrestrict) on a literal plus a temporary string.
    auto field = [&out](const std::string& f) {
      out += ',';
      out += f;
    };
    for (double v : {r.score[e], r.base[e], r.bonus[e], r.penalty[e]}) field(format_double(v));
    field(csv_field(p.grades[static_cast<std::size_t>(r.band[e])].name));
    field(csv_field(p.grades[static_cast<std::size_t>(r.grade[e])].name));
    field(std::to_string(r.rank[e]));
    if (nodes)
      for (std::size_t k = 0; k < p.nodes.size(); ++k) field(format_double(r.nodes(e, static_cast<Eigen::Index>(k))));
    out += "\n";
  }
  return out;
}

std::string lost_csv(const assess::plan& p, const table_view& data, const assess::result& r, assess::lang language) {
  std::string out = "unit,node,points,why\n";
  std::optional<assess::plan> holder;
  const assess::plan& scored = scored_plan(p, r, holder);
  for (auto i : rank_order(r))
    for (const auto& l : assess::explain(scored, data, i, language))
      out += csv_field(data.units[i]) + "," + csv_field(l.node) + "," + format_double(l.points) + "," +
             csv_field(l.why) + "\n";
  return out;
}

std::string result_table(const assess::plan& p, const table_view& data, const assess::result& r, bool explain,
                         assess::lang language) {
  const bool zh = language == assess::lang::zh;
  std::vector<std::string> head =
      zh ? std::vector<std::string>{"排名", "单位", "得分", "基础分", "加分", "直接扣分", "档次", "等级", "说明"}
         : std::vector<std::string>{"rank", "unit", "score", "base", "bonus", "penalty", "band", "grade", "notes"};
  std::vector<std::vector<std::string>> rows;
  auto order = rank_order(r);
  for (auto i : order) {
    const auto e = static_cast<Eigen::Index>(i);
    std::string notes;
    auto add_note = [&](const std::string& s) { notes += (notes.empty() ? "" : zh ? ";" : "; ") + s; };
    int capped = r.band[e];
    for (int v : r.vetoes(i)) {
      add_note((zh ? "一票否决:" : "veto: ") + p.vetoes[static_cast<std::size_t>(v)].name);
      capped = std::max(capped, p.vetoes[static_cast<std::size_t>(v)].max_grade);
    }
    if (r.grade[e] > capped) add_note(zh ? "受名额限制降档" : "moved down by a quota");
    if (!r.missing(i).empty()) {
      std::string m;
      for (int k : r.missing(i)) m += (m.empty() ? "" : ",") + p.inputs[static_cast<std::size_t>(k)];
      add_note((zh ? "缺数据:" : "missing: ") + m);
    }
    rows.push_back({std::to_string(r.rank[e]), data.units[i], fixed2(r.score[e]), fixed2(r.base[e]), fixed2(r.bonus[e]),
                    fixed2(r.penalty[e]), p.grades[static_cast<std::size_t>(r.band[e])].name,
                    p.grades[static_cast<std::size_t>(r.grade[e])].name, notes});
  }
  std::vector<std::size_t> width(head.size());
  for (std::size_t c = 0; c < head.size(); ++c) width[c] = display_width(head[c]);
  for (const auto& row : rows)
    for (std::size_t c = 0; c < row.size(); ++c) width[c] = std::max(width[c], display_width(row[c]));
  auto line = [&](const std::vector<std::string>& row) {
    std::string s;
    for (std::size_t c = 0; c < row.size(); ++c) {
      bool right = c == 0 || (c >= 2 && c <= 5);
      std::string pad(width[c] - display_width(row[c]), ' ');
      if (c + 1 == row.size())
        s += row[c];
      else
        s += right ? pad + row[c] + "  " : row[c] + pad + "  ";
    }
    while (!s.empty() && s.back() == ' ') s.pop_back();
    return s + "\n";
  };
  std::string out = (zh ? "考核方案 " : "scheme ") + p.id + (p.name.empty() ? "" : " " + p.name) + "\n";
  out += line(head);
  std::optional<assess::plan> holder;
  const assess::plan& scored = explain ? scored_plan(p, r, holder) : p;
  for (std::size_t k = 0; k < rows.size(); ++k) {
    out += line(rows[k]);
    if (explain)
      for (const auto& l : assess::explain(scored, data, order[k], language))
        out += "      " + l.node + "  " + l.why + "\n";
  }
  return out + weights_block(p, r, zh);
}

std::string csv_field(std::string_view s) {
  if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace rectify::io
