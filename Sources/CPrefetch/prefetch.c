// The hint lives in the header (static inline, so Swift inlines it); SwiftPM wants a source file.
#include "prefetch.h"
