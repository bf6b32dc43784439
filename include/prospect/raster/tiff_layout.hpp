#pragma once
// The byte layout of a GeoTIFF on disk, where it matters for a Cloud Optimized
// GeoTIFF: its IFDs (the directories that say where every block is) first,
// then the blocks in order.
//
// A tiled GeoTIFF that GDAL creates and fills block by block in row order has
// that layout while it is written: libtiff puts the IFD right after the header
// on the first block write. Changing the metadata afterwards (the statistics,
// known only at the end) makes libtiff write the whole IFD again at the end of
// the file. move_last_ifd_to_front() puts it back where the first one was, so
// the file need not be copied to become a COG.

#include <string>

namespace prospect {

// True when the GeoTIFF at `path` (any GDAL file name, /vsimem/ too) has the
// layout GDAL's COG validator checks: the first IFD right after the header, the
// overviews' IFDs after it, every band's blocks in row order after the IFDs,
// and the smallest overview's data first.
bool has_cog_layout(const std::string& path);

// For a file with one IFD (no overviews) written at the end by a rewrite: moves
// it, with the tag data written with it, into the space between the header and
// the first block, zeroes what is left of that space and cuts the old copy off
// the end. Returns false, leaving the file as it was, when the file has another
// shape (several IFDs, byte order, an unknown tag type) or the IFD does not
// fit; true when the first IFD now follows the header (or did already).
// Reserve the room up front with a metadata item that is removed before the
// rewrite (see StagedRaster's reserve_header_bytes).
bool move_last_ifd_to_front(const std::string& path);

}  // namespace prospect
