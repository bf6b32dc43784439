#pragma once
// Rare-earth indices by name, as a geochemist writes them: "(La/Yb)N",
// "(Dy/Yb)N", "Eu/Eu*", "Ce/Ce*", "Y/Ho", "HREE/LREE". Each is a value
// expression (evidence/field_expression) over the columns of a sample layer,
// found by element (geochem/elements). Pure: no GDAL here.
//
// Forms (docs/science/geochemistry.md has the formulas and their sources):
//   (A/B)N      chondrite-normalised ratio of two rare earths, N(A) / N(B)
//   A/B         plain ratio of two rare earths (Y/Ho, Gd/Yb)
//   Eu/Eu*      N(Eu) / sqrt(N(Sm) N(Gd)), the europium anomaly
//   Ce/Ce*      N(Ce) / sqrt(N(La) N(Pr)), the cerium anomaly
//   LREE, HREE, TREE   sums in ppm: La-Eu; Gd-Lu and Y; all fifteen
//   HREE/LREE, HREE/TREE   ratios of those sums ("ΣHREE/ΣLREE" reads the same)

#include <string>
#include <vector>

namespace prospect {

// The index's expression with "{Dy}" standing for the Dy column. Throws
// Error(bad_model) for a name that is none of the forms, listing them.
std::string index_template(const std::string& name);

// The elements an index reads, in the order of its expression.
std::vector<std::string> index_elements(const std::string& name);

// The index as an expression over `columns` (a layer's field names), each
// column quoted. Throws Error(bad_input) naming every element the layer has no
// column for, or an element held by two columns (which to use is the user's
// call: write the expression as `field:`).
std::string index_expression(const std::string& name, const std::vector<std::string>& columns);

// One line per form, for messages and --help.
std::string index_forms();

}  // namespace prospect
