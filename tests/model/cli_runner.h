#pragma once
// Runs `fieldscope` model commands in this process, with the domains a test names (the headless
// side of app/domains.cpp), as the CLI tests of every domain do.
#include <CLI/CLI.hpp>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "app/cli/model_commands.h"
#include "app/domain/domain_list.h"

namespace fieldscope::test {

class CliRunner {
 public:
  explicit CliRunner(DomainList domains) : domains_(std::move(domains)) {}

  // `fieldscope ARGS...`; throws what the command throws.
  void run(const std::vector<std::string>& args) const {
    CLI::App app;
    const auto registry = registerModelCommands(app, domains_);
    std::vector<const char*> argv{"fieldscope"};
    for (const auto& a : args) argv.push_back(a.c_str());
    app.parse(static_cast<int>(argv.size()), const_cast<char**>(argv.data()));
  }

  // The command fails with an exception (what main() prints: a parse error, a runtime or
  // argument error) whose message contains `mustMention`.
  void expectFails(const std::vector<std::string>& args, const std::string& mustMention) const {
    try {
      run(args);
      ADD_FAILURE() << "command did not fail";
    } catch (const std::exception& e) {
      EXPECT_NE(std::string(e.what()).find(mustMention), std::string::npos) << e.what();
    }
  }

 private:
  DomainList domains_;
};

}  // namespace fieldscope::test
