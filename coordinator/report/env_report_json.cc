#include "coordinator/report/env_report_json.h"

#include "coordinator/report/env_report.h"
#include "coordinator/report/json_output.h"

namespace parlab {

std::string EnvReportJson(const pb::EnvReport& report) { return ToJson(report); }

std::string EnvReportJson() { return EnvReportJson(CollectEnvReport()); }

}  // namespace parlab
