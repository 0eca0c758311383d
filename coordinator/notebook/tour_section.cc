#include "coordinator/notebook/tour_section.h"

#include <algorithm>

namespace parlab {

const std::vector<TourSection>& TourSections() {
  static const std::vector<TourSection> kSections = {
      GilSection(),
      GilReleasedSection(),
      BlasBackendsSection(),
      ThreadVariablesSection(),
      MatmulSizesSection(),
      ThreadControlSection(),
      BlasOperationsSection(),
      BenchmarkRulesSection(),
      TimeitSection(),
      ProfileSection(),
      MemorySection(),
      SummarySection(),
      DecisionSection(),
      NextStepsSection(),
  };
  return kSections;
}

std::string TourSectionNames() {
  std::string names;
  for (const TourSection& section : TourSections()) {
    names += (names.empty() ? "" : ", ") + section.name;
  }
  return names;
}

Result<std::vector<const TourSection*>> SelectTourSections(std::string_view names) {
  std::vector<const TourSection*> selected;
  if (names.empty()) {
    for (const TourSection& section : TourSections()) selected.push_back(&section);
    return selected;
  }
  std::vector<std::string> wanted;
  size_t start = 0;
  while (start <= names.size()) {
    const size_t comma = std::min(names.find(',', start), names.size());
    wanted.emplace_back(names.substr(start, comma - start));
    start = comma + 1;
  }
  for (const std::string& name : wanted) {
    const auto it = std::find_if(TourSections().begin(), TourSections().end(),
                                 [&](const TourSection& s) { return s.name == name; });
    if (it == TourSections().end()) {
      return InvalidArgument("--section: no section named '" + name + "'; the sections are " +
                             TourSectionNames());
    }
    if (std::find(selected.begin(), selected.end(), &*it) == selected.end()) {
      selected.push_back(&*it);
    }
  }
  // In the tour's order, whatever the order given: later sections reuse earlier ones.
  std::sort(selected.begin(), selected.end());
  return selected;
}

const pb::TourRow* FindTourRow(const pb::TourReport& report, std::string_view section,
                               std::string_view label) {
  for (const pb::TourSection& s : report.sections()) {
    if (s.name() != section) continue;
    for (const pb::TourRow& row : s.rows()) {
      if (row.label() == label) return &row;
    }
  }
  return nullptr;
}

}  // namespace parlab
