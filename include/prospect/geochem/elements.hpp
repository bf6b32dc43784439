#pragma once
// The rare earth elements as a geochemist names them: their order (La to Lu,
// then Y), the CI-chondrite composition used to normalise them, and which
// element and unit a laboratory's column name holds ("Dy_ppm", "DY (ppb)").
// Pure: no GDAL here. docs/science/geochemistry.md has the table and its source.

#include <optional>
#include <string>
#include <vector>

namespace prospect {

struct ReferenceElement {
  const char* symbol;  // "La"
  double chondrite;    // CI chondrite, ppm (McDonough & Sun 1995, Table 1)
  bool heavy;          // in the HREE group (Gd-Lu and Y); else LREE (La-Eu)
};

// La, Ce, Pr, Nd, Sm, Eu, Gd, Tb, Dy, Ho, Er, Tm, Yb, Lu, Y (no Pm: it has no
// stable isotope and no laboratory reports it).
const std::vector<ReferenceElement>& rare_earth_elements();

// The element of `symbol` (case as written: "Dy"), or null.
const ReferenceElement* find_rare_earth(const std::string& symbol);

// What a column holds: a rare earth element and the factor that turns its values into ppm.
struct ElementColumn {
  const ReferenceElement* element = nullptr;
  double to_ppm = 1;
};

// Reads a column name: the element symbol first, any case, ended by the name's
// end or a character that is not a letter ("Dy", "dy_ppm", "DY (ppb)",
// "Dy_ICP_ppm"); then a unit anywhere after it: ppb (x 0.001), % / pct /
// percent / wt (x 10,000), ppm or g/t or none (x 1). Empty when the name does
// not start with a rare earth symbol, or names an oxide ("Dy2O3_ppm": a digit
// after the symbol), whose values are not the element's.
std::optional<ElementColumn> element_column(const std::string& column);

}  // namespace prospect
