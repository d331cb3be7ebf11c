// The Snowball stemmers (Debian libstemmer-dev), for the search benchmark's comparison of stemmers.
#include <libstemmer.h>
