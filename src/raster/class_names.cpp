#include "prospect/raster/class_names.hpp"

#include <gdal_priv.h>
#include <gdal_rat.h>

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
  return names;
}

}  // namespace prospect
