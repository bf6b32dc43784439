#include "prospect/output/xml_tree.hpp"

#include <cpl_conv.h>
#include <cpl_minixml.h>

#include "prospect/core/text.hpp"

namespace prospect {

XmlElement& XmlElement::set(const std::string& attribute, const std::string& value) {
  CPLAddXMLAttributeAndValue(m_node, attribute.c_str(), clean_text(value).c_str());
  return *this;
}

XmlElement XmlElement::add(const std::string& name) {
  return XmlElement(CPLCreateXMLNode(m_node, CXT_Element, name.c_str()));
}

XmlElement XmlElement::add(const std::string& name, const std::string& value) {
  return XmlElement(CPLCreateXMLElementAndValue(m_node, name.c_str(), clean_text(value).c_str()));
}

void XmlElement::add_copy(const CPLXMLNode* element) {
  // CPLCloneXMLTree copies the siblings too; a lone copy of the element is wanted.
  CPLXMLNode alone = *element;
  alone.psNext = nullptr;
  CPLAddXMLChild(m_node, CPLCloneXMLTree(&alone));
}

XmlDocument::XmlDocument(const std::string& root_name)
    : m_root(CPLCreateXMLNode(nullptr, CXT_Element, root_name.c_str())) {}

XmlDocument::~XmlDocument() { CPLDestroyXMLNode(m_root); }

std::string XmlDocument::text(const std::string& prolog) const {
  char* serialised = CPLSerializeXMLTree(m_root);
  std::string out = prolog + (serialised ? serialised : "");
  CPLFree(serialised);
  return out;
}

ParsedXml::ParsedXml(const std::string& text) : m_root(CPLParseXMLString(text.c_str())) {}

ParsedXml::~ParsedXml() {
  if (m_root) CPLDestroyXMLNode(m_root);
}

const CPLXMLNode* ParsedXml::find(const std::string& path) const {
  return m_root ? CPLGetXMLNode(m_root, path.c_str()) : nullptr;
}

}  // namespace prospect
