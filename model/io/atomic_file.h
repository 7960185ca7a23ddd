#pragma once
// Writing user-visible files (docs/architecture.md "Writing files"): everything is written to a
// temporary file beside the target (".NAME.tmp-PID-N"), flushed to disk (fsync) and renamed into
// place, so a failed, cancelled or killed write never leaves a half-written file and never
// destroys an existing one. A process killed mid-write leaves its temporary behind; the next
// write to the same file removes the temporaries of processes that are no longer running.
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace fieldscope {

// Calls write(tmp_path) and, if it returns normally, flushes tmp_path to disk and renames it
// onto path (then flushes the folder). On any failure the temporary file is removed and
// std::runtime_error is thrown with a message naming `path` and the reason.
void writeFileAtomically(const std::filesystem::path& path,
                         const std::function<void(const std::filesystem::path& tmp)>& write);

// Convenience: write bytes atomically. Every write, the fsync and the close are checked; a full
// disk is said as "the disk is full".
void writeBytesAtomically(const std::filesystem::path& path, const std::string& bytes);

// Several files that belong together (an image and its JSON sidecar): all are written to
// temporaries first; only when every one is complete on disk are they renamed into place. If any
// write or rename fails, none of the targets changes (files replaced so far get their previous
// contents back) and no temporary is left. Throws naming the file that failed.
struct FileBytes {
  std::filesystem::path path;
  std::string bytes;
};
void writeFilesAtomically(const std::vector<FileBytes>& files);

// Creates `path` (truncating it) and writes `bytes` with every write, the fsync and the close
// checked; throws std::runtime_error with writeErrorText on failure (the file is not removed).
void writeWholeFile(const std::filesystem::path& path, std::string_view bytes);

// Why `path` cannot be written, checked before any work starts (a long export must not fail at
// its end): "" when it can; else "folder 'D' does not exist", "'P' is a folder", "no permission
// to write in folder 'D'" or "folder 'D' is on a read-only disk".
std::string whyNotWritable(const std::filesystem::path& path);

// The reason for a failed write in plain words: "the disk is full" for ENOSPC, "over the disk
// quota" for EDQUOT, otherwise the system's text.
std::string writeErrorText(int errnoValue);

// For writers that manage the temporary themselves (a PNG written in row bands): a fresh
// temporary name for `path` (after removing stale ones), and the commit -- fsync, rename, fsync
// of the folder; throws naming `path` (the temporary is removed then).
std::filesystem::path atomicTemporaryFor(const std::filesystem::path& path);
void commitAtomicTemporary(const std::filesystem::path& tmp, const std::filesystem::path& path);

// Removes ".NAME.tmp-PID-N" beside `path` whose process PID is not running (killed writers).
// Returns how many were removed.
int removeStaleTemporaries(const std::filesystem::path& path);

}  // namespace fieldscope
