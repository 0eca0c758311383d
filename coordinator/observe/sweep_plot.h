#pragma once
// Pictures of a sweep: speedup against workers, one line per mode, with the
// ideal S = p line — as a gnuplot script (PNG or SVG, drawn by gnuplot.h) and
// as a text chart for a terminal where gnuplot is missing. Pure; thread-safe.

#include <string>
#include <string_view>

#include "proto/parlab.pb.h"
#include "shared/status.h"

namespace parlab {

enum class PlotFormat { kPng, kSvg };

// The format `path` asks for, by its extension (.png or .svg, any case); an
// error naming the extension otherwise. Checks too that the directory the
// file goes to exists, so a typo fails before the sweep runs, not after.
Result<PlotFormat> CheckPlotPath(const std::string& path);

// A complete gnuplot script that writes `path`: pngcairo when this gnuplot
// has it (the plain libgd png terminal otherwise), or svg. Data inline.
std::string GnuplotScript(const pb::SweepReport& report, const std::string& path,
                          PlotFormat format);

// The same chart in text, `width` × `height` cells of plot area (at least
// 20 × 8): one letter per mode (its first), '.' the ideal line, '|' the
// usable cores when some points lie beyond them, then a legend.
std::string TerminalChart(const pb::SweepReport& report, int width = 60, int height = 16);

// `text` as a gnuplot string literal (double quotes; backslash, quote escaped).
std::string GnuplotQuote(std::string_view text);

}  // namespace parlab
