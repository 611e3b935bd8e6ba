// The settings live in the header (static inline, so Swift inlines them); SwiftPM wants a source file.
#include "malloc_settings.h"
