#include "app/gui/import_job.h"

#include <cstdio>
#include <stdexcept>

#include "model/checkpoint/checkpoint.h"
#include "model/image/ddmi_import.h"

namespace fieldscope {

namespace {
struct ImportCancelled : std::runtime_error {
  ImportCancelled() : std::runtime_error("import cancelled: nothing was written") {}
};
}  // namespace

ImportJob::~ImportJob() {
  cancel = true;
  if (thread.joinable()) thread.join();
}

std::string ImportJob::progressLine() {
  std::lock_guard<std::mutex> lock(mutex);
  const int64_t d = done, t = total;
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - stageStart).count();
  char buf[256];
  if (t > 0 && d > 0 && d < t)
    std::snprintf(buf, sizeof buf, "%s %lld/%lld, about %.0f s left", unit.c_str(), (long long)d, (long long)t,
                  elapsed * double(t - d) / double(d));
  else
    std::snprintf(buf, sizeof buf, "%s %lld/%lld", unit.empty() ? "opening" : unit.c_str(), (long long)d, (long long)t);
  return buf;
}

void startImportJob(const std::shared_ptr<ImportJob>& job) {
  // The thread holds no reference: the job's owner (the UI) destroys it, and the destructor joins.
  job->thread = std::thread([job = job.get()] {
    std::string result;
    bool ok = false;
    try {
      Checkpoint c = importDdmiImage({job->vae, job->config, job->ldm}, [&](const std::string& unit, int64_t d, int64_t t) {
        if (job->cancel) throw ImportCancelled();
        {
          std::lock_guard<std::mutex> lock(job->mutex);
          if (unit != job->unit) {
            job->unit = unit;
            job->stageStart = std::chrono::steady_clock::now();
          }
        }
        job->total = t;
        job->done = d;
      });
      if (job->cancel) throw ImportCancelled();
      saveCheckpoint(job->out, c);  // a temporary file, then a rename
      ok = true;
      result = "imported " + job->out + (c.config.contains("ldm") ? "" : " (VAE only: it reconstructs, it does not sample)");
    } catch (const std::exception& e) {
      result = e.what();
    }
    {
      std::lock_guard<std::mutex> lock(job->mutex);
      job->ok = ok;
      job->message = result;
    }
    job->finished = true;
  });
}

}  // namespace fieldscope
