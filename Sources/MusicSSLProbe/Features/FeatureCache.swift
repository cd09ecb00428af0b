import Foundation
import MusicSSLCore

/// The per-item feature files of one model on one data set: `<directory>/<item id>.safetensors`
/// holding `features` — `[layers, windows, dimensions]` (or `[layers, frames, dimensions]`
/// unpooled), float32 or float16 as the header's ``FeatureCacheHeader/precision`` says, read
/// back as Float32 — with the ``FeatureCacheHeader`` as JSON in the metadata.
///
/// Files are written atomically (temporary file, fsync, rename), so an interrupted extraction
/// leaves whole items or none, and a later run computes only what is missing.
///
/// ```swift
/// let cache = FeatureCache(directory: url, header: header)
/// if case .hit(let features) = try cache.lookup(item: "blues/blues.00000.wav") { … }
/// ```
public struct FeatureCache: Sendable {
    /// Metadata key of the header.
    public static let headerKey = "musicssl.feature_cache"
    /// Name of the tensor in each file.
    public static let tensorName = "features"

    /// What ``lookup(item:)`` found.
    public enum Lookup {
        /// A file written with this cache's header.
        case hit(Tensor)
        /// No file.
        case missing
        /// A file that cannot be used (another header, damaged); the reason.
        case stale(String)
    }

    /// The folder of the files.
    public let directory: URL
    /// The header every file of this cache carries.
    public let header: FeatureCacheHeader

    /// A cache in `directory` for `header`.
    public init(directory: URL, header: FeatureCacheHeader) {
        self.directory = directory
        self.header = header
    }

    /// The file of `item` (an item id: a relative path such as `blues/blues.00000.wav`).
    ///
    /// - Throws: ``FeatureCacheError/invalidItemID(_:)`` for an empty id, an absolute path or
    ///   one with `.` or `..` components (ids never leave the cache folder).
    public func url(forItem item: String) throws -> URL {
        let components = item.split(separator: "/", omittingEmptySubsequences: false)
        guard !item.isEmpty, !item.hasPrefix("/"),
            components.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." })
        else { throw FeatureCacheError.invalidItemID(item) }
        return directory.appendingPathComponent(item + ".safetensors")
    }

    /// The cached features of `item`, or why there are none.
    public func lookup(item: String) throws -> Lookup {
        let url = try url(forItem: item)
        guard FileManager.default.fileExists(atPath: url.path) else { return .missing }
        let file: SafeTensorsFile
        do {
            file = try SafeTensorsFile(contentsOf: url)
        } catch {
            return .stale("unreadable: \(error)")
        }
        guard let stored = file.metadata[Self.headerKey] else {
            return .stale("no \(Self.headerKey) metadata")
        }
        guard stored == (try header.encoded()) else {
            return .stale("computed with another model or settings: \(stored)")
        }
        do {
            let features = try file.tensor(named: Self.tensorName)
            guard features.shape.count == 3, features.shape[0] == header.layerCount,
                features.shape[2] == header.dimensions, features.shape[1] >= 1
            else { return .stale("features of shape \(features.shape)") }
            return .hit(features)
        } catch {
            return .stale("\(error)")
        }
    }

    /// Writes `features` (`[layerCount, n, dimensions]`) for `item`, atomically.
    ///
    /// - Throws: ``FeatureCacheError/shapeMismatch(item:shape:expected:)`` for features that do
    ///   not fit the header; file-system errors otherwise (the previous file, if any, stays).
    public func store(_ features: Tensor, forItem item: String) throws {
        guard features.shape.count == 3, features.shape[0] == header.layerCount,
            features.shape[2] == header.dimensions
        else {
            throw FeatureCacheError.shapeMismatch(
                item: item, shape: features.shape,
                expected: "[\(header.layerCount), n, \(header.dimensions)]")
        }
        let url = try url(forItem: item)
        let folder = url.deletingLastPathComponent()
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            // Another process building the same cache (a rank of `mpirun … msl benchmark`) may
            // have made one of the folders in between; a second try finds it there.
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        }
        try SafeTensorsWriter.write(
            [(name: Self.tensorName, tensor: features)],
            metadata: [Self.headerKey: try header.encoded()], to: url,
            precision: header.precision.writerPrecision)
    }
}
