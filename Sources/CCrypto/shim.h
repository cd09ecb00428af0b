// OpenSSL's libcrypto, for SHA-1 only. No stable Swift API: MusicSSLProbe wraps what it uses
// (ArtistHashSplit hashes artist names as MARBLE's split scripts do).
#include <openssl/sha.h>
