// sndfile. No stable Swift API: MusicSSLCore wraps what it uses.
#include <sndfile.h>
