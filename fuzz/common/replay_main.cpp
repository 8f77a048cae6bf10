// Corpus replayer: runs LLVMFuzzerTestOneInput over files and directories named on the command
// line, so ctest can replay corpora with any compiler (QFTP_FUZZ_REPLAY=ON), without libFuzzer.
#include <algorithm>
#include <csignal>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int* argc, char*** argv);
// Present in -fprofile-instr-generate builds (ci/fuzz's coverage report).
extern "C" __attribute__((weak)) int __llvm_profile_write_file(void);

namespace {

// An input that traps would end the process before the coverage profile is written at exit;
// write it first, then die of the same signal.
void write_profile_and_die(int sig) {
  __llvm_profile_write_file();
  std::signal(sig, SIG_DFL);
  std::raise(sig);
}

bool run_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    std::fprintf(stderr, "replay: cannot read %s\n", path.c_str());
    return false;
  }
  const std::vector<char> bytes((std::istreambuf_iterator<char>(in)),
                                std::istreambuf_iterator<char>());
  // A fresh heap copy of exactly the input's size, as libFuzzer gives, so ASan sees overreads;
  // like libFuzzer's, the pointer is never null, not even for an empty input.
  const std::unique_ptr<std::uint8_t[]> copy(new std::uint8_t[bytes.size()]);
  std::copy(bytes.begin(), bytes.end(), copy.get());
  LLVMFuzzerTestOneInput(copy.get(), bytes.size());
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (LLVMFuzzerInitialize != nullptr) {
    LLVMFuzzerInitialize(&argc, &argv);
  }
  if (__llvm_profile_write_file != nullptr) {
    for (const int sig : {SIGILL, SIGTRAP, SIGABRT, SIGSEGV, SIGBUS, SIGFPE}) {
      std::signal(sig, write_profile_and_die);
    }
  }
  std::size_t runs = 0;
  bool ok = true;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (!arg.empty() && arg.front() == '-') {
      continue;  // libFuzzer flags (-runs=0 ...) are accepted and ignored
    }
    const std::filesystem::path path(arg);
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      std::vector<std::filesystem::path> files;
      for (const auto& entry : std::filesystem::recursive_directory_iterator(path, ec)) {
        if (entry.is_regular_file() && entry.path().filename().string().front() != '.') {
          files.push_back(entry.path());
        }
      }
      std::sort(files.begin(), files.end());  // the same order on every machine
      for (const auto& file : files) {
        ok = run_file(file) && ok;
        ++runs;
      }
    } else if (std::filesystem::is_regular_file(path, ec)) {
      ok = run_file(path) && ok;
      ++runs;
    } else {
      std::fprintf(stderr, "replay: no such file or directory: %s\n", arg.c_str());
      ok = false;
    }
  }
  std::printf("replay: %zu inputs run\n", runs);
  return ok ? 0 : 1;
}
