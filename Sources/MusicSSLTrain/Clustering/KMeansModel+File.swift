import Foundation
import MusicSSLCore

extension KMeansModel {
    /// Name of the `[K, D]` centroid tensor in a model file.
    public static let centroidsTensorName = "centroids"
    /// Metadata key of K.
    public static let clusterCountKey = "musicssl.kmeans.clusters"
    /// Metadata key of D.
    public static let dimensionsKey = "musicssl.kmeans.dimensions"
    /// Metadata key of the ``ClusterFeatureKind`` (`mfcc39`, `checkpoint-layer:6`, …).
    public static let featureKindKey = "musicssl.kmeans.feature_kind"
    /// Metadata key of the JSON-encoded ``KMeansFitReport``.
    public static let fitReportKey = "musicssl.kmeans.fit"

    /// Writes the model atomically (temporary file + rename) as a `.safetensors` file: the F32
    /// tensor `centroids` `[K, D]` and metadata giving K, D, the feature kind and the fit
    /// report (algorithm, parameters, inertia, seed) as JSON.
    ///
    /// The file reads in Python with `safetensors.numpy.load_file(path)["centroids"]`.
    ///
    /// - Throws: `SafeTensorsError` when the file cannot be written (it is then unchanged).
    public func save(to url: URL) throws {
        var metadata = [
            Self.clusterCountKey: String(clusterCount), Self.dimensionsKey: String(dimensions),
            Self.featureKindKey: featureKind.description,
        ]
        if let fitReport {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            metadata[Self.fitReportKey] = String(
                decoding: try encoder.encode(fitReport), as: UTF8.self)
        }
        try SafeTensorsWriter.write(
            [(Self.centroidsTensorName, centroids)], metadata: metadata, to: url)
    }

    /// Reads a model written by ``save(to:)``.
    ///
    /// - Throws: ``KMeansError/malformedModel(path:reason:)`` naming the file when it is not a
    ///   safetensors file, lacks the `centroids` tensor or a metadata key, or when the tensor's
    ///   shape disagrees with the metadata or holds NaN or infinity.
    public static func load(from url: URL) throws -> KMeansModel {
        let path = url.path
        func malformed(_ reason: String) -> KMeansError {
            .malformedModel(path: path, reason: reason)
        }
        let file: SafeTensorsFile
        let centroids: Tensor
        do {
            file = try SafeTensorsFile(contentsOf: url)
            guard file.info(for: centroidsTensorName) != nil else {
                throw malformed(
                    "no tensor named '\(centroidsTensorName)' (found \(file.tensorNames)); not a k-means model"
                )
            }
            centroids = try file.tensor(named: centroidsTensorName)
        } catch let error as KMeansError {
            throw error
        } catch {
            throw malformed("not a readable k-means model: \(error)")
        }
        func integer(_ key: String) throws -> Int {
            guard let text = file.metadata[key] else { throw malformed("metadata lacks '\(key)'") }
            guard let value = Int(text), value > 0 else {
                throw malformed("metadata '\(key)' is '\(text)', not a positive integer")
            }
            return value
        }
        let (clusters, dimensions) = (try integer(clusterCountKey), try integer(dimensionsKey))
        guard centroids.shape == [clusters, dimensions] else {
            throw malformed(
                "centroids have shape \(centroids.shape) but the metadata says [\(clusters), \(dimensions)]"
            )
        }
        guard let kindText = file.metadata[featureKindKey] else {
            throw malformed("metadata lacks '\(featureKindKey)'")
        }
        guard let kind = ClusterFeatureKind(kindText) else {
            throw malformed(
                "feature kind '\(kindText)' is not mfcc39, mfcc60, checkpoint-layer:N or features-file"
            )
        }
        var report: KMeansFitReport?
        if let json = file.metadata[fitReportKey] {
            do {
                report = try JSONDecoder().decode(KMeansFitReport.self, from: Data(json.utf8))
            } catch {
                throw malformed("metadata '\(fitReportKey)' is not a valid fit report: \(error)")
            }
        }
        do {
            return try KMeansModel(centroids: centroids, featureKind: kind, fitReport: report)
        } catch let error as KMeansError {
            throw malformed("invalid centroids: \(error)")
        }
    }
}
