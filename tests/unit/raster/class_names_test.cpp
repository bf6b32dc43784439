#include "prospect/raster/class_names.hpp"

#include <gdal_priv.h>
#include <gdal_rat.h>
#include <gtest/gtest.h>

#include "prospect/raster/gdal_handles.hpp"
#include "support/fixtures.hpp"

using namespace prospect;
using namespace prospect::test;

namespace {

std::string class_raster(const std::string& path) {
  RasterFixture f;
  f.values.assign(100, 1.0f);
  return write_raster(path, f);
}

}  // namespace

TEST(RasterClassNames, FromCategoryNames) {
  init_gdal();
  const std::string path = class_raster("/vsimem/class_names_categories.tif");
  {
    DatasetPtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_UPDATE));
    ASSERT_TRUE(ds);
    const char* names[] = {"", "Carbonatite", "Huab gneiss", nullptr};
    ds->GetRasterBand(1)->SetCategoryNames(const_cast<char**>(names));
  }
  const auto names = raster_class_names(path, 1);
  ASSERT_EQ(names.size(), 2u);  // an empty name names nothing
  EXPECT_EQ(names.at(1), "Carbonatite");
  EXPECT_EQ(names.at(2), "Huab gneiss");
}

TEST(RasterClassNames, FromAnAttributeTableWithAValueColumn) {
  init_gdal();
  const std::string path = class_raster("/vsimem/class_names_rat.tif");
  {
    DatasetPtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_UPDATE));
    ASSERT_TRUE(ds);
    GDALDefaultRasterAttributeTable rat;
    rat.CreateColumn("Value", GFT_Integer, GFU_Generic);
    rat.CreateColumn("Class_Name", GFT_String, GFU_Name);
    rat.SetRowCount(2);
    rat.SetValue(0, 0, 10);
    rat.SetValue(0, 1, "Fenite");
    rat.SetValue(1, 0, 20);
    rat.SetValue(1, 1, "Dolerite");
    ds->GetRasterBand(1)->SetDefaultRAT(&rat);
  }
  const auto names = raster_class_names(path, 1);
  ASSERT_EQ(names.size(), 2u);
  EXPECT_EQ(names.at(10), "Fenite");
  EXPECT_EQ(names.at(20), "Dolerite");
}

TEST(RasterClassNames, NoneWhenTheRasterNamesNothing) {
  init_gdal();
  EXPECT_TRUE(raster_class_names(class_raster("/vsimem/class_names_none.tif"), 1).empty());
}

// prospect's own evidence rasters name their classes in the metadata item
// PROSPECT_CLASSES; a name may hold ';'.
TEST(RasterClassNames, FromProspectEvidenceMetadata) {
  init_gdal();
  const std::string path = class_raster("/vsimem/class_names_prospect.tif");
  {
    DatasetPtr ds(GDALDataset::Open(path.c_str(), GDAL_OF_RASTER | GDAL_OF_UPDATE));
    ASSERT_TRUE(ds);
    ds->SetMetadataItem("PROSPECT_CLASSES", "1=fenite;2=hematite-carbonate;7=breccia; sheared");
  }
  const auto names = raster_class_names(path, 1);
  ASSERT_EQ(names.size(), 3u);
  EXPECT_EQ(names.at(1), "fenite");
  EXPECT_EQ(names.at(2), "hematite-carbonate");
  EXPECT_EQ(names.at(7), "breccia; sheared");
}
