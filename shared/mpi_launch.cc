#include "shared/mpi_launch.h"

#include <cstdlib>

namespace parlab {
namespace {

bool ReadInt(const char* name, int& value) {
  const char* text = std::getenv(name);
  if (text == nullptr || *text == '\0') return false;
  char* end = nullptr;
  const long parsed = std::strtol(text, &end, 10);
  if (end == nullptr || *end != '\0' || parsed < 0 || parsed > 1'000'000) return false;
  value = static_cast<int>(parsed);
  return true;
}

}  // namespace

MpiLaunch DetectMpiLaunch() {
  MpiLaunch launch;
  int rank = 0, size = 0;
  if ((ReadInt("OMPI_COMM_WORLD_RANK", rank) || ReadInt("PMIX_RANK", rank)) &&
      ReadInt("OMPI_COMM_WORLD_SIZE", size)) {
    launch = {true, rank, size};
  } else if (ReadInt("PMI_RANK", rank) && ReadInt("PMI_SIZE", size)) {
    launch = {true, rank, size};
  }
  return launch;
}

}  // namespace parlab
