// Hunspell's C interface (Debian libhunspell-dev), for the search benchmark's comparison of spelling correction.
#include <hunspell/hunspell.h>
