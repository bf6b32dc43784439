#pragma once
// Walks a geometry down to its points and lines (polygon rings count as lines),
// for the builders that measure against the true vector geometry.

#include <ogr_geometry.h>

#include <string>

#include "prospect/core/error.hpp"

namespace prospect::detail {

// Calls on_point(x, y) for each point and on_line(curve) for each line string or
// polygon ring, through multi-geometries and collections. Other types (curves,
// surfaces, ...) throw Error(bad_input) with `context`; `what` says what the
// builder does with them ("have no distance here").
template <class OnPoint, class OnLine>
void for_each_part(const OGRGeometry& g, OnPoint&& on_point, OnLine&& on_line,
                   const ErrorContext& context, const std::string& what) {
  switch (wkbFlatten(g.getGeometryType())) {
    case wkbPoint:
      on_point(g.toPoint()->getX(), g.toPoint()->getY());
      break;
    case wkbLineString:
    case wkbLinearRing:
      on_line(*g.toLineString());
      break;
    case wkbPolygon:
      for (const OGRLinearRing* ring : *g.toPolygon()) on_line(*ring);
      break;
    case wkbMultiPoint:
    case wkbMultiLineString:
    case wkbMultiPolygon:
    case wkbGeometryCollection:
      for (const OGRGeometry* part : *g.toGeometryCollection())
        for_each_part(*part, on_point, on_line, context, what);
      break;
    default:
      throw Error(ErrorKind::bad_input,
                  std::string("holds ") + OGRGeometryTypeToName(g.getGeometryType()) +
                      " geometries, which " + what,
                  context, "use points, lines or polygons");
  }
}

}  // namespace prospect::detail
