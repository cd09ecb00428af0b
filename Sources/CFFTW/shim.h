// fftw3f. No stable Swift API: MusicSSLCore wraps what it uses.
#include <fftw3.h>
