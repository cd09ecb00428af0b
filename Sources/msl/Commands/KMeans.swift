import ArgumentParser

/// `msl kmeans`: HuBERT-style cluster targets: fit k-means on frame features, then label a
/// corpus with it.
struct KMeans: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "kmeans",
        abstract: "Fit k-means on MFCC or encoder-layer features and write fairseq-style labels.",
        discussion: """
            Iteration 1 (MFCC targets):
              msl kmeans fit --corpus music/ --features mfcc39 -k 500 --percent 0.1 -o km.safetensors
              msl kmeans label --model km.safetensors --corpus music/ -o labels/
            Iteration 2 (a trained model's layer 6):
              msl kmeans fit --corpus music/ --features checkpoint-layer \\
                  --from-checkpoint run/checkpoint.safetensors --layer 6 -k 500 -o km2.safetensors
              msl kmeans label --model km2.safetensors --corpus music/ -o labels2/
            See Documentation/Clustering.md.
            """,
        subcommands: [KMeansFit.self, KMeansLabel.self])
}
