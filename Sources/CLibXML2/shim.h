#ifndef CLIBXML2_SHIM_H
#define CLIBXML2_SHIM_H

// Debian's libxml2 is built with ICU, whose headers clash with Foundation's own ICU module;
// the parser does not need libxml2's ICU declarations.
#include <libxml/xmlversion.h>
#undef LIBXML_ICU_ENABLED

#include <libxml/parser.h>
#include <libxml/xmlreader.h>
#include <libxml/xmlerror.h>
#include <libxml/tree.h>
#include <libxml/HTMLparser.h>
#include <libxml/xmlwriter.h>

// The global xmlFree is not concurrency-safe from Swift 6's point of view; call it through a function.
static inline void clibxml2_free(void *pointer) { xmlFree(pointer); }

#endif
