import Foundation
import MusicSSLCore

/// VocalSet items from the raw Zenodo tree `FULL/<singer>/<context>/<technique>/<file>.wav`,
/// with a deterministic stand-in for MARBLE's split. **This split is not MARBLE's**: MARBLE
/// draws it with sklearn's `GroupShuffleSplit` under `np.random.seed(42617)` after its own
/// preprocessing, which cannot be reproduced without numpy's generator; use MARBLE's lists
/// (``VocalSetLoader``'s preprocessed layout) for comparable numbers.
///
/// What it does, following MARBLE v1's `tasks/VocalSet/preprocess.py` as closely as it can:
/// * Files: `.wav` files exactly four levels under `FULL/` whose singer is one of
///   ``VocalSetLoader/singers`` and whose technique folder is one of ``extractedTechniques``
///   (singer task) or ``VocalSetLoader/techniques`` (technique task).
/// * Items: each file cut into ``chunkSeconds`` regions from its start, the remainder dropped
///   (MARBLE also trims leading silence with a VAD, resamples to 44.1 kHz and z-normalises each
///   chunk; none of that is done here). Ids are `FULL/…/<file>.wav#<chunk index>`.
/// * Groups: the chunks of one file stay in one split (MARBLE groups by a per-technique file
///   index, so its groups collide across techniques, quirk Q11; here a group is one file).
/// * Order: files sorted by the SHA-1 hex digest of their path below `root`, replacing the
///   random permutation. Split sizes follow `GroupShuffleSplit`: ⌈fraction × groups⌉ go to the
///   held-out side.
/// * Technique: singers in ``techniqueTestSingers`` are test; of the other files the first
///   ⌈0.4 n⌉ are valid, the rest train. Singer: the first ⌈0.2 n⌉ files are test, then of the
///   rest the first ⌈0.4 m⌉ are valid, the rest train.
public enum VocalSetRawSplit {
    /// Region length in seconds (MARBLE's 3-s chunks).
    public static let chunkSeconds = 3.0
    /// The technique task's test singers (MARBLE's `preprocess.py`).
    public static let techniqueTestSingers: Set<String> = ["f2", "f8", "m3", "m5", "m10"]
    /// The 17 technique folders MARBLE extracts; the singer task uses all of them.
    public static let extractedTechniques: Set<String> = [
        "belt", "breathy", "inhaled", "lip_trill", "spoken", "straight", "trill", "trillo",
        "vibrato", "vocal_fry", "fast_forte", "fast_piano", "forte", "messa", "pp", "slow_forte",
        "slow_piano",
    ]

    /// One recording.
    struct Recording {
        var url: URL
        var path: String
        var singer: String
        var technique: String
    }

    /// The chunk items of `target`, split as documented above.
    static func items(_ target: VocalSetLoader.Target, files: DataSetFiles) throws -> [TaskItem] {
        let recordings = try self.recordings(files: files).filter { recording in
            target == .technique
                ? VocalSetLoader.techniques.contains(recording.technique)
                : extractedTechniques.contains(recording.technique)
        }
        let ordered = recordings.map { recording in
            (
                key: ArtistHashSplit.sha1(Array(recording.path.utf8)).map {
                    String($0, radix: 16).leftPadded(to: 2)
                }.joined(), recording: recording
            )
        }.sorted { ($0.key, $0.recording.path) < ($1.key, $1.recording.path) }.map(\.recording)
        var splits: [String: DataSplit] = [:]
        switch target {
        case .technique:
            let heldIn = ordered.filter { !techniqueTestSingers.contains($0.singer) }
            for recording in ordered { splits[recording.path] = .test }
            assign(heldIn, heldOutFraction: 0.4, heldOut: .valid, rest: .train, to: &splits)
        case .singer:
            let testCount = heldOutCount(0.2, of: ordered.count)
            for recording in ordered.prefix(testCount) { splits[recording.path] = .test }
            assign(
                Array(ordered.dropFirst(testCount)), heldOutFraction: 0.4, heldOut: .valid,
                rest: .train, to: &splits)
        }
        return try ordered.flatMap { recording in
            let classIndex =
                target == .technique
                ? VocalSetLoader.techniques.firstIndex(of: recording.technique)
                : VocalSetLoader.singers.firstIndex(of: recording.singer)
            guard let classIndex, let split = splits[recording.path] else { return [TaskItem]() }
            let duration: Double
            do {
                duration = try AudioDecoder.info(of: recording.url).durationSeconds
            } catch {
                throw files.error(recording.url, "cannot read its length: \(error)")
            }
            let chunkCount = Int((duration / chunkSeconds).rounded(.down))
            return (0..<max(0, chunkCount)).map { chunk in
                TaskItem(
                    id: "\(recording.path)#\(chunk)", url: recording.url,
                    region: AudioRegion(
                        startSeconds: Double(chunk) * chunkSeconds, durationSeconds: chunkSeconds),
                    split: split, label: .classIndex(classIndex))
            }
        }
    }

    /// `GroupShuffleSplit`'s held-out size: ⌈fraction × count⌉.
    static func heldOutCount(_ fraction: Double, of count: Int) -> Int {
        Int((fraction * Double(count)).rounded(.up))
    }

    /// The first ⌈fraction × n⌉ of `recordings` to `heldOut`, the others to `rest`.
    static func assign(
        _ recordings: [Recording], heldOutFraction: Double, heldOut: DataSplit, rest: DataSplit,
        to splits: inout [String: DataSplit]
    ) {
        let count = heldOutCount(heldOutFraction, of: recordings.count)
        for (index, recording) in recordings.enumerated() {
            splits[recording.path] = index < count ? heldOut : rest
        }
    }

    /// The `.wav` files four levels under `FULL/` with a known singer.
    static func recordings(files: DataSetFiles) throws -> [Recording] {
        let full = files.root.appendingPathComponent("FULL")
        guard let enumerator = FileManager.default.enumerator(atPath: full.path) else {
            throw files.error(full, "unreadable, expected FULL/<singer>/<context>/<technique>/")
        }
        var recordings: [Recording] = []
        while let relative = enumerator.nextObject() as? String {
            let components = relative.split(separator: "/").map(String.init)
            guard components.count == 4, relative.lowercased().hasSuffix(".wav"),
                VocalSetLoader.singers.contains(components[0])
            else { continue }
            let url = full.appendingPathComponent(relative)
            guard files.isFile(url) else { continue }
            recordings.append(
                Recording(
                    url: url, path: "FULL/" + relative, singer: components[0],
                    technique: components[2]))
        }
        return recordings
    }
}

extension String {
    /// The string with leading zeros up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
