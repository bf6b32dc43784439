#pragma once
// XML documents (QGIS styles and projects) built as a tree on GDAL's
// CPLXMLNode and serialised by it: names and values are escaped by
// construction, never pasted into text. Values from data pass through
// clean_text first, since XML 1.0 forbids control characters even escaped.

#include <string>

struct CPLXMLNode;

namespace prospect {

class XmlElement {
 public:
  explicit XmlElement(CPLXMLNode* node) : m_node(node) {}
  // Attributes go before the element's first child.
  XmlElement& set(const std::string& attribute, const std::string& value);
  XmlElement add(const std::string& name);  // a child element
  // A child element holding text: <name>value</name>.
  XmlElement add(const std::string& name, const std::string& value);
  // A deep copy of `element` (from another tree) as the last child.
  void add_copy(const CPLXMLNode* element);
  CPLXMLNode* node() const { return m_node; }

 private:
  CPLXMLNode* m_node;
};

class XmlDocument {
 public:
  explicit XmlDocument(const std::string& root_name);
  ~XmlDocument();
  XmlDocument(const XmlDocument&) = delete;
  XmlDocument& operator=(const XmlDocument&) = delete;
  XmlElement root() { return XmlElement(m_root); }
  // The document as text, after `prolog` (e.g. a DOCTYPE line).
  std::string text(const std::string& prolog) const;

 private:
  CPLXMLNode* m_root;
};

// A parsed XML text, freed on scope exit; nullptr inside when it does not parse.
class ParsedXml {
 public:
  explicit ParsedXml(const std::string& text);
  ~ParsedXml();
  ParsedXml(const ParsedXml&) = delete;
  ParsedXml& operator=(const ParsedXml&) = delete;
  // The element at a dotted path from the top ("=qgis.pipe"), or nullptr.
  const CPLXMLNode* find(const std::string& path) const;

 private:
  CPLXMLNode* m_root;
};

}  // namespace prospect
