#include "yaml_reader.hpp"

#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>
#include <sstream>

#include "prospect/config/suggest.hpp"
#include "prospect/core/text.hpp"

namespace prospect::config {

void YamlReader::fail(const YAML::Node& at, const std::string& problem,
                      const std::string& hint) const {
  ErrorContext c;
  c.file = m_file;
  const YAML::Mark mark = at.Mark();
  if (!mark.is_null()) {
    c.line = mark.line + 1;
    c.column = mark.column + 1;
  }
  throw Error(ErrorKind::bad_model, problem, c, hint);
}

void YamlReader::check_keys(const YAML::Node& map, const std::string& section,
                            const std::vector<std::string>& allowed) const {
  for (const auto& item : map) {
    const std::string key = item.first.as<std::string>();
    bool known = false;
    for (const auto& a : allowed) known = known || a == key;
    if (known) continue;
    const std::string guess = closest_match(key, allowed);
    std::string valid;
    for (const auto& a : allowed) valid += (valid.empty() ? "" : ", ") + a;
    fail(item.first,
         "unknown key '" + key + "' in " + section +
             (guess.empty() ? "" : "; did you mean '" + guess + "'?"),
         "keys allowed here: " + valid);
  }
}

void YamlReader::require_map(const YAML::Node& node, const std::string& what) const {
  if (!node.IsMap()) fail(node, what + " must be a mapping of 'key: value' lines");
}

void YamlReader::require_sequence(const YAML::Node& node, const std::string& what) const {
  if (!node.IsSequence()) fail(node, what + " must be a list, e.g. [a, b] or '- a' lines");
}

std::string YamlReader::text(const YAML::Node& node, const std::string& what) const {
  if (!node.IsScalar()) fail(node, what + " must be a single value");
  for (unsigned char c : node.Scalar())
    if ((c < 0x20 && c != '\t') || c == 0x7f)
      fail(node, what + " holds a control character ('" + printable(node.Scalar()) + "')",
           "values are plain text; remove the escaped character (\\n, \\x.., ...)");
  return node.Scalar();
}

double YamlReader::number(const YAML::Node& node, const std::string& what) const {
  if (!node.IsScalar()) fail(node, what + " must be a number");
  const std::string& s = node.Scalar();
  try {
    std::size_t used = 0;
    const double v = std::stod(s, &used);
    if (used != s.size() || !std::isfinite(v)) throw std::invalid_argument(s);
    return v;
  } catch (const std::exception&) {
    fail(node, what + " must be a number, not '" + s + "'");
  }
}

long long YamlReader::integer(const YAML::Node& node, const std::string& what, long long min,
                              long long max) const {
  const std::string range =
      what + " must be a whole number from " + std::to_string(min) + " to " + std::to_string(max);
  if (!node.IsScalar()) fail(node, range);
  const std::string& s = node.Scalar();
  long long v = 0;
  const char* begin = s.data() + (s.size() > 1 && s[0] == '+' ? 1 : 0);
  const auto [end, error] = std::from_chars(begin, s.data() + s.size(), v);
  if (error == std::errc::result_out_of_range) fail(node, range + ", not " + s);
  if (error != std::errc() || end != s.data() + s.size()) {
    // 1e3 or 10.0: a whole number written otherwise.
    const double d = number(node, what);
    if (d != std::floor(d)) fail(node, what + " must be a whole number, not " + s);
    if (d < double(min) || d > double(max)) fail(node, range + ", not " + s);
    return (long long)d;
  }
  if (v < min || v > max) fail(node, range + ", not " + s);
  return v;
}

std::string YamlReader::identifier(const YAML::Node& key, const std::string& what) const {
  const std::string name = text(key, what);
  if (!is_identifier(name))
    fail(key, what + " '" + printable(name) + "' is not a usable name",
         "names become band and file names: 1 to 64 letters, digits, '_' or '-' (not first), e.g. "
         "dist_faults or Dy");
  return name;
}

bool is_identifier(const std::string& name) {
  if (name.empty() || name.size() > 64 || name[0] == '-') return false;
  for (char c : name)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-')) return false;
  return true;
}

std::string printable(const std::string& text) {
  std::string out;
  for (unsigned char c : text) {
    if (out.size() > 80) return out + "...";
    if (c < 0x20 || c == 0x7f) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "\\x%02x", c);
      out += hex;
    } else {
      out += char(c);
    }
  }
  return out;
}

namespace {

// Walks the parser's events once before the node tree is built (see load_checked_yaml).
class StructureCheck : public YAML::EventHandler {
 public:
  static constexpr std::size_t k_max_depth = 64;
  static constexpr long long k_max_values = 1000000;

  explicit StructureCheck(std::string file) : m_file(std::move(file)) {}

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++m_documents > 1)
      fail(mark,
           "the file holds a second YAML document (after '---'); a model file is one document",
           "remove the second document, or the '---' line");
  }
  void OnDocumentEnd() override {}
  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    value(mark, anchor, "", true);
  }
  void OnScalar(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                const std::string& text) override {
    value(mark, anchor, text, true);
  }
  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    for (const Open& o : m_open)
      if (o.anchor == anchor)
        fail(mark, "an alias refers to the node it is part of (a loop)",
             "an alias (*name) may only repeat a node that ends before it");
    if (in_key_position())
      fail(mark, "a key is an alias; keys must be plain names", "write the key out");
    add(m_size.count(anchor) ? m_size[anchor] : 1, mark);
    after_value();
  }
  void OnSequenceStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value) override {
    open(mark, anchor, false);
  }
  void OnSequenceEnd() override { close(); }
  void OnMapStart(const YAML::Mark& mark, const std::string&, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value) override {
    open(mark, anchor, true);
  }
  void OnMapEnd() override { close(); }

 private:
  struct Open {
    bool is_map;
    YAML::anchor_t anchor;
    long long values_at_start;
    bool key_next = true;  // maps: the next node is a key
    std::map<std::string, YAML::Mark> keys;
  };

  [[noreturn]] void fail(const YAML::Mark& mark, const std::string& problem,
                         const std::string& hint) const {
    ErrorContext c;
    c.file = m_file;
    if (!mark.is_null()) {
      c.line = mark.line + 1;
      c.column = mark.column + 1;
    }
    throw Error(ErrorKind::bad_model, problem, c, hint);
  }

  bool in_key_position() const {
    return !m_open.empty() && m_open.back().is_map && m_open.back().key_next;
  }

  void add(long long values, const YAML::Mark& mark) {
    m_values += values;
    if (m_values > k_max_values)
      fail(mark,
           "the file expands to more than " + std::to_string(k_max_values) +
               " values once its aliases are repeated",
           "a model file is small; write it without aliases nested in aliases");
  }

  void value(const YAML::Mark& mark, YAML::anchor_t anchor, const std::string& text, bool scalar) {
    if (in_key_position() && scalar) {
      auto& keys = m_open.back().keys;
      const auto [it, fresh] = keys.emplace(text, mark);
      if (!fresh)
        fail(mark,
             "the key '" + printable(text) + "' is given twice here (first on line " +
                 std::to_string(it->second.line + 1) + ")",
             "keep one of them; YAML readers disagree on which one counts");
    }
    add(1, mark);
    if (anchor != YAML::NullAnchor) m_size[anchor] = 1;
    after_value();
  }

  void after_value() {
    if (!m_open.empty() && m_open.back().is_map) m_open.back().key_next = !m_open.back().key_next;
  }

  void open(const YAML::Mark& mark, YAML::anchor_t anchor, bool is_map) {
    if (in_key_position())
      fail(
          mark,
          std::string("a key is a ") + (is_map ? "mapping" : "list") + "; keys must be plain names",
          "write 'name: value'; a '?' or '[' / '{' before the colon makes a complex key");
    if (m_open.size() >= k_max_depth)
      fail(mark, "the file is nested more than " + std::to_string(k_max_depth) + " levels deep",
           "a model file needs a handful of levels; check the indentation");
    add(1, mark);
    m_open.push_back({is_map, anchor, m_values, true, {}});
  }

  void close() {
    const Open o = std::move(m_open.back());
    m_open.pop_back();
    if (o.anchor != YAML::NullAnchor) m_size[o.anchor] = m_values - o.values_at_start + 1;
    after_value();
  }

  std::string m_file;
  int m_documents = 0;
  long long m_values = 0;
  std::vector<Open> m_open;
  std::map<YAML::anchor_t, long long> m_size;  // values in each anchored node, aliases expanded
};

}  // namespace
void check_utf8(const std::string& text, const std::string& file) {
  int line = 1, column = 1;
  for (std::size_t i = 0; i < text.size();) {
    const std::size_t n = utf8_sequence_length(text, i);
    if (n == 0) {
      char hex[8];
      std::snprintf(hex, sizeof hex, "0x%02x", static_cast<unsigned char>(text[i]));
      throw Error(ErrorKind::bad_model,
                  std::string("the file is not UTF-8 text (byte ") + hex + ")",
                  ErrorContext{file, "", "", "", line, column},
                  "save the file as UTF-8 (most editors: Save with encoding)");
    }
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += n;
  }
}

YAML::Node load_checked_yaml(const std::string& text, const std::string& file) {
  check_utf8(text, file);
  try {
    {
      std::istringstream in(text);
      YAML::Parser parser(in);
      StructureCheck check(file);
      while (parser.HandleNextDocument(check)) {
      }
    }
    return YAML::Load(text);
  } catch (const YAML::Exception& e) {
    ErrorContext c;
    c.file = file;
    if (!e.mark.is_null()) {
      c.line = e.mark.line + 1;
      c.column = e.mark.column + 1;
    }
    throw Error(ErrorKind::bad_model, "YAML syntax error: " + e.msg, c,
                "check indentation (spaces, not tabs) and that every 'key: value' has a space "
                "after the colon");
  }
}

std::vector<double> YamlReader::numbers(const YAML::Node& node, const std::string& what,
                                        std::size_t count) const {
  if (!node.IsSequence() || node.size() != count)
    fail(node, what + " must be a list of " + std::to_string(count) + " numbers");
  std::vector<double> out;
  for (const auto& n : node) out.push_back(number(n, what));
  return out;
}

}  // namespace prospect::config
