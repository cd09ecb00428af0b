import Foundation

/// The audio files of a training corpus with their lengths and rates, listed from a folder or a
/// fairseq manifest, and the summary of the scan that found them.
///
/// Opening every file of a large corpus takes minutes, so a scan keeps a duration index
/// (``DurationIndexLocation``) and reopens only the files whose size or modification time
/// changed. Files that fail to open (random bytes named `.wav`, empty or truncated headers)
/// are skipped and listed in ``summary``; the scan goes on.
///
/// ```swift
/// let corpus = try AudioCorpus(scanning: URL(fileURLWithPath: "/data/music"))
/// print(corpus.summary)   // 1204 files (83.2 h), 1204 read from the index, 0 opened
/// let sampler = try RandomCropSampler(corpus: corpus, sampleRate: 16_000)
/// var generator = SplitMix64(seed: 1)
/// let crop = try sampler.next(using: &generator)   // 5 s at 16 kHz
/// ```
public struct AudioCorpus: Sendable {
    /// One usable audio file and what its header says.
    public struct File: Sendable, Equatable {
        /// The path as listed: relative to ``AudioCorpus/root`` for a folder scan, as written
        /// for a manifest.
        public let path: String
        /// The file's location.
        public let url: URL
        /// The container and encoding in words, e.g. `"FLAC PCM 16-bit"`.
        public let format: String
        /// Native sample rate in Hz.
        public let sampleRate: Int
        /// Channels in the file (the decoder averages them to mono).
        public let channelCount: Int
        /// Frames at the native rate.
        public let frameCount: Int

        /// The length in seconds.
        public var durationSeconds: Double { Double(frameCount) / Double(sampleRate) }
    }

    /// Extensions a folder scan picks up by default, compared without regard to case: the
    /// containers Debian's libsndfile 1.2 decodes that music comes in.
    public static let defaultExtensions: Set<String> = [
        "wav", "wave", "flac", "ogg", "oga", "opus", "mp3", "aif", "aiff", "aifc", "au", "caf",
        "w64",
    ]

    /// The corpus folder, or the manifest's root.
    public let root: URL
    /// The usable files: in sorted path order for a folder scan, in manifest order otherwise.
    public let files: [File]
    /// What the scan found, opened, reused and skipped.
    public let summary: CorpusScanSummary

    /// Total length of ``files`` in seconds.
    public var totalDurationSeconds: Double {
        files.reduce(0) { $0 + $1.durationSeconds }
    }

    /// Lists the audio files under `directory` and its subfolders.
    ///
    /// Hidden files and folders (names starting with `.`) are left out; symbolic links to files
    /// are followed, links to folders are not (so a link cycle cannot trap the walk). A
    /// subfolder that cannot be read is listed in the summary's skipped files.
    ///
    /// - Parameters:
    ///   - directory: The corpus folder.
    ///   - extensions: File extensions to pick up, without the dot, in any case.
    ///   - index: Where the duration index lives.
    ///   - inspect: Reads one file's header; ``AudioDecoder/info(of:)`` unless a test counts
    ///     calls.
    /// - Throws: ``CorpusError`` when `directory` is missing, not a folder or unreadable.
    public init(
        scanning directory: URL, extensions: Set<String> = defaultExtensions,
        index: DurationIndexLocation = .automatic,
        inspect: (URL) throws -> AudioFileInfo = AudioDecoder.info(of:)
    ) throws {
        let root = directory.standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory),
            isDirectory.boolValue
        else {
            throw CorpusError(path: root.path, .notADirectory)
        }
        var listing = FolderListing(extensions: Set(extensions.map { $0.lowercased() }))
        try listing.walk(root, relativePath: "")
        let listed = listing.files.sorted { $0.path < $1.path }
        self.init(
            root: root, listed: listed, unlisted: listing.unreadableFolders, index: index,
            inspect: inspect)
    }

    /// The files a fairseq manifest lists, in its order, repeats included.
    ///
    /// - Parameters:
    ///   - manifest: The parsed manifest; its root anchors the duration index.
    ///   - index: Where the duration index lives.
    ///   - inspect: Reads one file's header; ``AudioDecoder/info(of:)`` unless a test counts
    ///     calls.
    public init(
        manifest: CorpusManifest, index: DurationIndexLocation = .automatic,
        inspect: (URL) throws -> AudioFileInfo = AudioDecoder.info(of:)
    ) {
        let listed = manifest.entries.map { (path: $0.path, url: manifest.url(of: $0)) }
        self.init(
            root: manifest.root.standardizedFileURL, listed: listed, unlisted: [], index: index,
            inspect: inspect)
    }

    private init(
        root: URL, listed: [(path: String, url: URL)],
        unlisted: [CorpusScanSummary.SkippedFile], index location: DurationIndexLocation,
        inspect: (URL) throws -> AudioFileInfo
    ) {
        let candidates = location.candidates(forRoot: root)
        let (previous, previousURL) = DurationIndex.load(from: candidates, root: root.path)
        var inspection = CorpusInspection(previous: previous)
        var files: [File] = []
        var skipped = unlisted
        for item in listed {
            switch inspection.outcome(path: item.path, url: item.url, inspect: inspect) {
            case .success(let file):
                files.append(file)
            case .failure(let reason):
                skipped.append(CorpusScanSummary.SkippedFile(path: item.path, reason: reason))
            }
        }
        // An unchanged index is not rewritten: its modification time shows when files last changed.
        let saved =
            inspection.index == previous
            ? (url: previousURL, problem: nil) : inspection.index.save(to: candidates)
        self.root = root
        self.files = files
        summary = CorpusScanSummary(
            listedCount: listed.count + unlisted.count, usableCount: files.count,
            totalDurationSeconds: files.reduce(0) { $0 + $1.durationSeconds },
            inspectedCount: inspection.inspectedCount, reusedCount: inspection.reusedCount,
            skipped: skipped, indexURL: saved.url, indexProblem: saved.problem)
    }

    private init(root: URL, files: [File], summary: CorpusScanSummary) {
        self.root = root
        self.files = files
        self.summary = summary
    }

    /// The corpus without the files whose relative paths are in `paths` (files that turned out
    /// damaged, or that have no labels); ``summary`` still describes the scan.
    public func excludingFiles(atPaths paths: Set<String>) -> AudioCorpus {
        AudioCorpus(root: root, files: files.filter { !paths.contains($0.path) }, summary: summary)
    }

    /// The corpus without files shorter than `seconds`, as fairseq's `min_sample_size` drops
    /// them; ``summary`` still describes the scan.
    public func excludingFiles(shorterThan seconds: Double) -> AudioCorpus {
        AudioCorpus(
            root: root, files: files.filter { $0.durationSeconds >= seconds }, summary: summary)
    }
}
