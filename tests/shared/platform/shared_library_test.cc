// SharedLibrary on a real shared object (built by tests/support/plugins).
#include "shared/platform/shared_library.h"

#include <gtest/gtest.h>

namespace parlab {
namespace {

TEST(SharedLibraryTest, OpensALibraryAndFindsItsSymbols) {
  Result<SharedLibrary> library = SharedLibrary::Open(PARLAB_TEST_PLUGIN_NO_ENTRY);
  ASSERT_TRUE(library.ok()) << library.status().ToString();
  EXPECT_EQ(library->path(), PARLAB_TEST_PLUGIN_NO_ENTRY);
  void* symbol = library->Symbol("parlab_test_not_a_plugin");
  ASSERT_NE(symbol, nullptr);
  EXPECT_EQ(reinterpret_cast<int (*)()>(symbol)(), 42);
  EXPECT_EQ(library->Symbol("parlab_plugin_entry"), nullptr);
}

TEST(SharedLibraryTest, AMissingFileIsAnErrorWithTheLoadersReason) {
  Result<SharedLibrary> library = SharedLibrary::Open("/nonexistent/libnothing.so");
  ASSERT_FALSE(library.ok());
  EXPECT_EQ(library.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(library.status().message().find("No such file or directory"), std::string::npos)
      << library.status().message();
}

TEST(SharedLibraryTest, AFileThatIsNoLibraryIsAnError) {
  Result<SharedLibrary> library = SharedLibrary::Open("/etc/hostname");
  ASSERT_FALSE(library.ok());
  EXPECT_FALSE(library.status().message().empty());
}

}  // namespace
}  // namespace parlab
