#pragma once
// Writing user-visible files (docs/architecture.md "Writing files"): everything is written to a
// temporary file beside the target (".NAME.tmp-PID-N"), flushed to disk (fsync) and renamed into
// place, so a failed, cancelled or killed write never leaves a half-written file and never
// destroys an existing one. A process killed mid-write leaves its temporary behind; the next
// write to the same file removes the temporaries of processes that are no longer running.
#include <filesystem>
#include <functional>
#include <string>

namespace fieldscope {

// Calls write(tmp_path) and, if it returns normally, flushes tmp_path to disk and renames it
// onto path (then flushes the folder). On any failure the temporary file is removed and
// std::runtime_error is thrown with a message naming `path` and the reason.
void writeFileAtomically(const std::filesystem::path& path,
                         const std::function<void(const std::filesystem::path& tmp)>& write);

// Convenience: write bytes atomically.
void writeBytesAtomically(const std::filesystem::path& path, const std::string& bytes);

// For writers that manage the temporary themselves (a PNG written in row bands): a fresh
// temporary name for `path` (after removing stale ones), and the commit -- fsync, rename, fsync
// of the folder; throws naming `path` (the temporary is removed then).
std::filesystem::path atomicTemporaryFor(const std::filesystem::path& path);
void commitAtomicTemporary(const std::filesystem::path& tmp, const std::filesystem::path& path);

// Removes ".NAME.tmp-PID-N" beside `path` whose process PID is not running (killed writers).
// Returns how many were removed.
int removeStaleTemporaries(const std::filesystem::path& path);

}  // namespace fieldscope
