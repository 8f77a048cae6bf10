// result_listener.h: the gtest event listener that turns each finished case (gtest's result plus
// the case's marks, notes, failed checks with their requirement scopes, wire log and fixture log)
// into a CaseRecord with its verdict per case and per requirement, and prints its progress line.
#pragma once

#include <gtest/gtest.h>

#include <optional>

#include "harness/progress.h"
#include "harness/suite.h"

namespace qftp::harness {

class ResultListener : public ::testing::EmptyTestEventListener {
 public:
  ResultListener(Suite& suite, bool quiet) : suite_(suite), quiet_(quiet) {}
  void OnTestIterationStart(const ::testing::UnitTest& unit_test, int iteration) override;
  void OnTestStart(const ::testing::TestInfo& info) override;
  void OnTestPartResult(const ::testing::TestPartResult& result) override;
  void OnTestEnd(const ::testing::TestInfo& info) override;

 private:
  Suite& suite_;
  bool quiet_;
  std::optional<Progress> progress_;
};

// The cases a run will run: gtest's filter and shard, and the --requirement selection.
int cases_to_run(const ::testing::UnitTest& unit_test, const std::set<std::string>& selected);

}  // namespace qftp::harness
