#include "prospect/raster/class_names.hpp"

#include <gdal_priv.h>
#include <gdal_rat.h>

#include <cstdlib>

#include "prospect/core/text.hpp"
#include "prospect/raster/gdal_handles.hpp"

namespace prospect {
namespace {

// A table with a name column and a value (or min/max) column: one name per value.
std::map<double, std::string> from_attribute_table(const GDALRasterAttributeTable& rat) {
  std::map<double, std::string> names;
  const int name_col = rat.GetColOfUsage(GFU_Name);
  int value_col = rat.GetColOfUsage(GFU_MinMax);
  if (value_col < 0) value_col = rat.GetColOfUsage(GFU_Min);
  if (value_col < 0)  // a "Value" column of generic use, as many tools write it
    for (int c = 0; c < rat.GetColumnCount(); ++c)
      if (EQUAL(rat.GetNameOfCol(c), "value")) value_col = c;
  if (name_col < 0 || value_col < 0) return names;
  for (int r = 0; r < rat.GetRowCount(); ++r) {
    const std::string name = clean_text(rat.GetValueAsString(r, name_col));
    if (!name.empty()) names[rat.GetValueAsDouble(r, value_col)] = name;
  }
  return names;
}

// prospect's own evidence rasters: "1=fenite;2=hematite-carbonate" in the
// metadata item PROSPECT_CLASSES (a name holding ';' continues the previous one).
std::map<double, std::string> from_prospect_metadata(const char* item) {
  std::map<double, std::string> names;
  if (!item) return names;
  const std::string text = item;
  double last = 0;
  bool any = false;
  for (std::size_t start = 0; start <= text.size();) {
    std::size_t end = text.find(';', start);
    if (end == std::string::npos) end = text.size();
    const std::string token = text.substr(start, end - start);
    const std::size_t eq = token.find('=');
    char* rest = nullptr;
    const double code = eq == std::string::npos ? 0 : std::strtod(token.c_str(), &rest);
    if (eq != std::string::npos && rest == token.c_str() + eq) {
      names[code] = token.substr(eq + 1);
      last = code;
      any = true;
    } else if (any) {
      names[last] += ";" + token;
    }
    start = end + 1;
  }
  return names;
}

}  // namespace

std::map<double, std::string> raster_class_names(const std::string& path, int band) {
  DatasetPtr ds = open_raster(path);
  GDALRasterBand* b = ds->GetRasterBand(band);
  std::map<double, std::string> names;
  if (!b) return names;
  if (const GDALRasterAttributeTable* rat = b->GetDefaultRAT()) names = from_attribute_table(*rat);
  if (!names.empty()) return names;
  if (char** categories = b->GetCategoryNames())
    for (int code = 0; categories[code]; ++code)
      if (categories[code][0]) names[code] = clean_text(categories[code]);
  if (!names.empty()) return names;
  return from_prospect_metadata(ds->GetMetadataItem("PROSPECT_CLASSES"));
}

}  // namespace prospect
