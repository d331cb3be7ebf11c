#include "FuzzDriver.h"

// libFuzzer's entry for programs with their own main (compiler-rt, LLVM 11 and later).
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

int chatbuddy_fuzz_main(int argc, char **argv, chatbuddy_fuzz_callback callback) {
    return LLVMFuzzerRunDriver(&argc, &argv, callback);
}
