// The C side of memallook's terminal adapter: ncursesw with wide characters,
// plus functions for what Swift cannot import (macros, global variables).
#ifndef MEMALLOOK_CNCURSES_SHIM_H
#define MEMALLOOK_CNCURSES_SHIM_H

#define NCURSES_WIDECHAR 1
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif
#include <ncursesw/curses.h>
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>

static inline WINDOW *mk_stdscr(void) { return stdscr; }
static inline int mk_lines(void) { return LINES; }
static inline int mk_cols(void) { return COLS; }
static inline int mk_color_pair(int n) { return (int)COLOR_PAIR(n); }
static inline int mk_colors(void) { return COLORS; }
static inline int mk_key_f(int n) { return KEY_F(n); }

static const int mk_a_normal = (int)A_NORMAL;
static const int mk_a_bold = (int)A_BOLD;
static const int mk_a_dim = (int)A_DIM;
static const int mk_a_reverse = (int)A_REVERSE;
static const int mk_a_underline = (int)A_UNDERLINE;
static const int mk_a_standout = (int)A_STANDOUT;

static const mmask_t mk_button1_pressed = BUTTON1_PRESSED;
static const mmask_t mk_button1_clicked = BUTTON1_CLICKED;
static const mmask_t mk_button4_pressed = BUTTON4_PRESSED;
static const mmask_t mk_button5_pressed = BUTTON5_PRESSED;

/// Scalars one cell can hold (a base character and its combining marks).
static const int mk_ccharw_max = CCHARW_MAX;

/// Writes one character (`text`: a base and its combining marks, NUL-terminated, at most
/// CCHARW_MAX scalars) at (y, x) with attributes that may include COLOR_PAIR(n):
/// setcchar takes the pair apart from the other attributes, so split them here.
static inline int mk_put(int y, int x, const wchar_t *text, int attrs) {
  cchar_t cell;
  short pair = (short)PAIR_NUMBER(attrs);
  setcchar(&cell, text, (attr_t)attrs & ~A_COLOR, pair, NULL);
  return mvadd_wch(y, x, &cell);
}

/// Reads the next mouse event: 1 with its position and buttons, 0 when none.
static inline int mk_mouse(int *y, int *x, mmask_t *buttons) {
  MEVENT event;
  if (getmouse(&event) != OK) return 0;
  *y = event.y;
  *x = event.x;
  *buttons = event.bstate;
  return 1;
}

/// Whether the current locale's character set is UTF-8.
static inline int mk_locale_is_utf8(void) {
  const char *codeset = nl_langinfo(CODESET);
  return codeset && (codeset[0] == 'U' || codeset[0] == 'u') && (codeset[1] == 'T' || codeset[1] == 't') &&
         (codeset[2] == 'F' || codeset[2] == 'f');
}

#endif
