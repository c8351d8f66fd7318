# CCC_TRY_CFLAG(FLAG): append FLAG to CCC_CFLAGS when the compiler accepts it
# (with -Werror, so a flag that only warns is not taken).
AC_DEFUN([CCC_TRY_CFLAG], [
  AC_MSG_CHECKING([whether $CC accepts $1])
  ccc_save_CFLAGS=$CFLAGS
  CFLAGS="$CFLAGS -Werror $1"
  AC_COMPILE_IFELSE([AC_LANG_PROGRAM([], [])],
    [AC_MSG_RESULT([yes]); CCC_CFLAGS="$CCC_CFLAGS $1"],
    [AC_MSG_RESULT([no])])
  CFLAGS=$ccc_save_CFLAGS
])
# CCC_TRY_LDFLAG(FLAG): append FLAG to CCC_LDFLAGS when the linker accepts it.
AC_DEFUN([CCC_TRY_LDFLAG], [
  AC_MSG_CHECKING([whether the linker accepts $1])
  ccc_save_LDFLAGS=$LDFLAGS
  LDFLAGS="$LDFLAGS -Werror $1"
  AC_LINK_IFELSE([AC_LANG_PROGRAM([], [])],
    [AC_MSG_RESULT([yes]); CCC_LDFLAGS="$CCC_LDFLAGS $1"],
    [AC_MSG_RESULT([no])])
  LDFLAGS=$ccc_save_LDFLAGS
])
