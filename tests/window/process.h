#pragma once
// Runs the fieldscope binary as a user would, capturing its output and exit status.
#include <sys/wait.h>

#include <cstdio>
#include <string>

struct ProcessResult {
  int status = -1;
  std::string output;
};

inline ProcessResult runFieldscope(const std::string& args, const std::string& envPrefix = "") {
  const std::string cmd = envPrefix + " '" FIELDSCOPE_BINARY "' " + args + " 2>&1";
  ProcessResult r;
  FILE* p = ::popen(cmd.c_str(), "r");
  if (!p) return r;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) r.output.append(buf, n);
  const int s = ::pclose(p);
  r.status = WIFEXITED(s) ? WEXITSTATUS(s) : -1;
  return r;
}
