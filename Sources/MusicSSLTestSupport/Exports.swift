@_exported import MusicSSLCore
