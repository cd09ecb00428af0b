public enum MusicSSLTrainModule {}
