/// One generated clip: its samples and the text of its annotation (a class name, a key, or
/// space-separated beat times).
struct SyntheticClip: Sendable {
    /// Mono samples, peak-normalised.
    var samples: [Float]
    /// The manifest's annotation for the clip; empty for corpus files.
    var annotation: String

    /// Creates a clip scaled so its largest magnitude is `peak` (silence stays silent).
    init(normalizing samples: [Float], peak: Double, annotation: String = "") {
        let largest = samples.reduce(Float(0)) { max($0, abs($1)) }
        let gain = largest > 0 ? Float(peak) / largest : 0
        self.samples = samples.map { $0 * gain }
        self.annotation = annotation
    }
}
