/// MusicSSLProbe will evaluate frozen features on the paper's music tasks (MARBLE protocol):
/// feature cache, probes, metrics, task loaders and reports. None of that exists yet; this
/// target only fixes the package layout so that dependents can already name the library.
public enum MusicSSLProbeModule {}
