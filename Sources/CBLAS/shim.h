// OpenBLAS's CBLAS interface. No stable Swift API: MusicSSLCore wraps what it uses.
#include <cblas.h>
// OpenBLAS extras, redeclared so the module still compiles if the cblas.h alternative is another BLAS.
void openblas_set_num_threads(int num_threads);
int openblas_get_num_threads(void);
char *openblas_get_config(void);
char *openblas_get_corename(void);
