public enum MusicSSLProbeModule {}
