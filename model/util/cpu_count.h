#pragma once
// How many cores this process may really use (docs/architecture.md "Performance facts"): the CPUs
// in its affinity mask (taskset, container cpusets), capped by a cgroup v2 CPU quota (cpu.max,
// e.g. docker --cpus). std::thread::hardware_concurrency counts every online CPU and would
// oversubscribe a limited container.
namespace fieldscope {
int usableCores();
}  // namespace fieldscope
