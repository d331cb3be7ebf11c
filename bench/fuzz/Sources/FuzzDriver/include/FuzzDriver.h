#ifndef CHATBUDDY_FUZZ_DRIVER_H
#define CHATBUDDY_FUZZ_DRIVER_H

#include <stddef.h>
#include <stdint.h>

typedef int (*chatbuddy_fuzz_callback)(const uint8_t *data, size_t size);

/// Runs libFuzzer on `callback` with the command line's options. SwiftPM names an executable's entry
/// point `<module>_main` and points `main` at it, so libFuzzer's own `main` is not linked; each target's
/// entry point calls this instead.
int chatbuddy_fuzz_main(int argc, char **argv, chatbuddy_fuzz_callback callback);

#endif
