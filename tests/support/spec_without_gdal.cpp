// Built without GDAL on the include path (tests/CMakeLists.txt): the parsed
// model is plain data, so code that only reads a model file -- a checker, a
// QGIS plugin's helper, another front end -- needs none of the geospatial stack.

#include "prospect/spec/model.hpp"

namespace prospect {

std::size_t spec_band_count(const ModelSpec& spec) { return spec.band_names().size(); }

}  // namespace prospect
