#include "coordinator/notebook/tour_section.h"

#include <gtest/gtest.h>

#include <set>

namespace parlab {
namespace {

TEST(TourSectionTest, EverySectionOfTheNotebookIsRegisteredInOrder) {
  const std::vector<std::string> expected = {
      "gil",          "gil-released",   "blas-backends",   "thread-variables",
      "matmul-sizes", "thread-control", "blas-operations", "benchmark-rules",
      "timeit",       "profile",        "memory",          "summary",
      "decision",     "next-steps"};
  ASSERT_EQ(TourSections().size(), expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    const TourSection& section = TourSections()[i];
    EXPECT_EQ(section.name, expected[i]);
    EXPECT_FALSE(section.title.empty()) << section.name;
    EXPECT_FALSE(section.explanation.empty()) << section.name;
    EXPECT_TRUE(section.run) << section.name;
    EXPECT_GT(section.expected_full_s, 0) << section.name;
    EXPECT_GT(section.expected_quick_s, 0) << section.name;
    EXPECT_LE(section.expected_quick_s, section.expected_full_s) << section.name;
  }
}

TEST(TourSectionTest, QuickTourIsEstimatedUnderAMinute) {
  double quick_s = 0;
  for (const TourSection& section : TourSections()) quick_s += section.expected_quick_s;
  EXPECT_LT(quick_s, 60);
}

TEST(TourSectionTest, EmptySelectionIsTheWholeTour) {
  Result<std::vector<const TourSection*>> all = SelectTourSections("");
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), TourSections().size());
  for (size_t i = 0; i < all->size(); ++i) EXPECT_EQ((*all)[i], &TourSections()[i]);
}

TEST(TourSectionTest, SelectsOneSectionByName) {
  Result<std::vector<const TourSection*>> one = SelectTourSections("memory");
  ASSERT_TRUE(one.ok());
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0]->name, "memory");
}

TEST(TourSectionTest, SelectsAListInTourOrderWithoutDuplicates) {
  Result<std::vector<const TourSection*>> some = SelectTourSections("decision,gil,summary,gil");
  ASSERT_TRUE(some.ok());
  ASSERT_EQ(some->size(), 3u);
  EXPECT_EQ((*some)[0]->name, "gil");
  EXPECT_EQ((*some)[1]->name, "summary");
  EXPECT_EQ((*some)[2]->name, "decision");
}

TEST(TourSectionTest, UnknownNameIsAnErrorListingTheNames) {
  for (const char* bad : {"gill", "gil,", ",", "gil,nope"}) {
    Result<std::vector<const TourSection*>> none = SelectTourSections(bad);
    ASSERT_FALSE(none.ok()) << bad;
    EXPECT_EQ(none.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(none.status().message().find("--section"), std::string::npos);
    EXPECT_NE(none.status().message().find("next-steps"), std::string::npos);
  }
}

TEST(TourSectionTest, NamesListsEverySection) {
  const std::string names = TourSectionNames();
  for (const TourSection& section : TourSections()) {
    EXPECT_NE(names.find(section.name), std::string::npos) << section.name;
  }
}

TEST(TourSectionTest, FindTourRowLooksInTheNamedSectionOnly) {
  pb::TourReport report;
  pb::TourSection* a = report.add_sections();
  a->set_name("summary");
  a->add_rows()->set_label("matmul ×10: seq");
  pb::TourSection* b = report.add_sections();
  b->set_name("gil");
  b->add_rows()->set_label("2 threads");
  EXPECT_NE(FindTourRow(report, "summary", "matmul ×10: seq"), nullptr);
  EXPECT_EQ(FindTourRow(report, "gil", "matmul ×10: seq"), nullptr);
  EXPECT_EQ(FindTourRow(report, "summary", "2 threads"), nullptr);
  EXPECT_EQ(FindTourRow(report, "gil", "2 threads")->label(), "2 threads");
}

}  // namespace
}  // namespace parlab
