// result_listener.h: the gtest event listener that turns each finished case (gtest's result plus
// the case's marks, notes, wire log and fixture log) into a CaseRecord with its verdict.
#pragma once

#include <gtest/gtest.h>

#include "harness/suite.h"

namespace qftp::harness {

class ResultListener : public ::testing::EmptyTestEventListener {
 public:
  explicit ResultListener(Suite& suite) : suite_(suite) {}
  void OnTestStart(const ::testing::TestInfo& info) override;
  void OnTestEnd(const ::testing::TestInfo& info) override;

 private:
  Suite& suite_;
};

}  // namespace qftp::harness
