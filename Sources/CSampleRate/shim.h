// libsamplerate. No stable Swift API: MusicSSLCore wraps what it uses.
#include <samplerate.h>
