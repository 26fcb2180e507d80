// Deflated datasets, inflated with a limit: never more than asked for, whatever the stream claims.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace shim {

// Where a Part 10 file's dataset starts and its transfer syntax, from the file meta information ("DICM" at
// 128 or at 0); false when the file has none.
bool partTenLayout(int descriptor, uint64_t &datasetOffset, std::string &transferSyntax);

// Inflates the raw deflate stream that starts at `offset`, appending to `out` (or only counting, when out is
// null), and stops once more than `limit` bytes came out. Returns the bytes produced (limit + 1 at most), or
// -1 with the problem.
int64_t inflateFrom(int descriptor, uint64_t offset, uint64_t limit, std::vector<char> *out, std::string &problem);

// The largest dataset a Deflated object may inflate to when it is read.
constexpr uint64_t maximumInflatedBytes = uint64_t(2) << 30;

} // namespace shim
