#pragma once
// The batch's own outputs, gathered from each survey's output folder (so
// surveys skipped as up to date count as much as the ones just run):
//   summary.csv      one row per survey: status, target zones, AUC, error;
//   targets.geojson  every survey's target zones ranked together (by the mean
//                    of the target band, as within a survey), with the survey
//                    name and its own rank (RFC 7946, as each survey's file);
//   targets.csv      the same ranking as a table;
//   index.html       the batch report: the surveys, links to their reports, the top targets.

#include <string>

#include "prospect/run/batch.hpp"

namespace prospect {

void write_batch_summary(const std::string& out_dir, BatchResult& result);

// "3 done, 1 up to date, 1 failed" (the statuses that occur).
std::string batch_counts(const BatchResult& result);

}  // namespace prospect
