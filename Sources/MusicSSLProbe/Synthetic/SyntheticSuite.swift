import Foundation
import MusicSSLCore

/// The built-in synthetic benchmark: seeded, labelled music-like audio written as WAV files and
/// ``CSVTask`` manifests, so that pre-training and probing run offline through the same code as
/// real data sets.
///
/// ```swift
/// let suite = SyntheticSuite(configuration: .init(seed: 7))
/// let summary = try suite.write(to: URL(fileURLWithPath: "synth"))
/// let key = try CSVTask.load(manifest: summary.tasks[2].manifest, name: "key")
/// ```
/// Layout under the folder: `corpus/synth-00000.wav …` (only audio), `tasks/<kind>/manifest.csv`
/// with columns `path`, the annotation (``SyntheticTaskKind/annotationColumn``) and `split`,
/// `tasks/<kind>/audio/<split>-0000.wav …`, and `suite.json`. Files are mono 16-bit PCM WAV,
/// each written atomically; rerunning replaces every file and removes audio a larger earlier
/// run left in these folders. Items render in parallel, each from a generator seeded by
/// (seed, task, split, index), so the files do not depend on the thread count.
public struct SyntheticSuite: Sendable {
    /// What to generate.
    public var configuration: Configuration

    /// Creates a suite.
    public init(configuration: Configuration = Configuration()) {
        self.configuration = configuration
    }

    /// One file to render.
    struct Job: Sendable {
        /// The task, or nil for a corpus file.
        var kind: SyntheticTaskKind?
        /// The item's split (train for corpus files).
        var split: DataSplit
        /// Index within the split (or the corpus).
        var index: Int
        /// Path relative to the suite folder.
        var path: String
    }

    /// Generates the suite into `directory`, creating it if needed.
    ///
    /// - Parameter progress: Called with (files done, files in all) after each file, one call
    ///   at a time, from worker threads.
    /// - Returns: The tasks' manifests, the corpus folder and what was written.
    /// - Throws: ``SyntheticSuiteError`` for an invalid configuration or a file that cannot be
    ///   written (naming it).
    @discardableResult
    public func write(
        to directory: URL, progress: (_ completed: Int, _ total: Int) -> Void = { _, _ in }
    ) throws -> Summary {
        try configuration.validate()
        let jobs = self.jobs()
        let folders =
            ["corpus"] + configuration.tasks.map { "tasks/\($0.rawValue)/audio" }
        for folder in folders {
            try SyntheticSuiteFiles.createFolder(directory.appendingPathComponent(folder))
        }
        let annotations = try render(jobs, into: directory, progress: progress)
        for folder in folders {
            let kept = Set(jobs.map(\.path).filter { $0.hasPrefix(folder + "/") })
            try SyntheticSuiteFiles.removeStaleAudio(
                in: directory.appendingPathComponent(folder), keeping: kept, prefix: folder)
        }
        var tasks: [TaskSummary] = []
        for kind in configuration.tasks {
            let rows = zip(jobs, annotations).filter { $0.0.kind == kind }
            tasks.append(
                try SyntheticSuiteFiles.writeManifest(
                    kind, rows: rows.map { ($0.0.path, $0.1, $0.0.split) }, in: directory))
        }
        let suiteFile = directory.appendingPathComponent("suite.json")
        try SyntheticSuiteFiles.writeDescription(
            configuration, tasks: tasks, to: suiteFile)
        let taskSeconds = configuration.tasks.reduce(0.0) {
            $0 + configuration.clipSeconds(for: $1)
                * Double(
                    configuration.trainItems + configuration.validItems + configuration.testItems)
        }
        return Summary(
            tasks: tasks, corpus: directory.appendingPathComponent("corpus", isDirectory: true),
            suiteFile: suiteFile, fileCount: jobs.count,
            audioSeconds: taskSeconds
                + Double(configuration.corpusFiles) * configuration.corpusSeconds)
    }

    /// Every file of the suite: each task's items split by split, then the corpus.
    func jobs() -> [Job] {
        var jobs: [Job] = []
        for kind in configuration.tasks {
            for (split, count) in configuration.itemCounts {
                for index in 0..<count {
                    jobs.append(
                        Job(
                            kind: kind, split: split, index: index,
                            path: "tasks/\(kind.rawValue)/audio/\(split.rawValue)-"
                                + Self.padded(index, width: 4) + ".wav"))
                }
            }
        }
        for index in 0..<configuration.corpusFiles {
            jobs.append(
                Job(
                    kind: nil, split: .train, index: index,
                    path: "corpus/synth-" + Self.padded(index, width: 5) + ".wav"))
        }
        return jobs
    }

    /// Renders and writes every job in parallel; returns each job's annotation.
    private func render(
        _ jobs: [Job], into directory: URL, progress: (Int, Int) -> Void
    ) throws -> [String] {
        var annotations = [String](repeating: "", count: jobs.count)
        var failures: [Int: Error] = [:]
        var completed = 0
        let lock = NSLock()
        annotations.withUnsafeMutableBufferPointer { results in
            DispatchQueue.concurrentPerform(iterations: jobs.count) { index in
                let job = jobs[index]
                let url = directory.appendingPathComponent(job.path)
                do {
                    let clip = self.clip(for: job)
                    try AudioEncoder.write(
                        clip.samples, sampleRate: configuration.sampleRate, format: .wavPCM16,
                        to: url)
                    results[index] = clip.annotation
                    lock.withLock {
                        completed += 1
                        progress(completed, jobs.count)
                    }
                } catch {
                    lock.withLock { failures[index] = error }
                }
            }
        }
        if let (index, error) = failures.min(by: { $0.key < $1.key }) {
            throw SyntheticSuiteError.writeFailed(
                path: directory.appendingPathComponent(jobs[index].path).path,
                reason: "\(error)")
        }
        return annotations
    }

    /// The clip of one job, from its own generator.
    func clip(for job: Job) -> SyntheticClip {
        let taskIndex = job.kind.flatMap { SyntheticTaskKind.allCases.firstIndex(of: $0) } ?? 15
        let splitIndex = DataSplit.allCases.firstIndex(of: job.split) ?? 0
        var generator = SplitMix64(
            seed: configuration.seed,
            index: UInt64(taskIndex) << 40 | UInt64(splitIndex) << 32 | UInt64(job.index))
        guard let kind = job.kind else {
            return SyntheticClipFactory.corpusClip(
                seconds: configuration.corpusSeconds, sampleRate: configuration.sampleRate,
                using: &generator)
        }
        return SyntheticClipFactory.clip(
            kind, classIndex: classIndex(of: job, classCount: kind.classes.count),
            seconds: configuration.clipSeconds(for: kind), sampleRate: configuration.sampleRate,
            using: &generator)
    }

    /// Items cycle through the classes spread evenly over them; with fewer training items than
    /// classes, every split cycles through the same subset, so each class used has training
    /// items.
    func classIndex(of job: Job, classCount: Int) -> Int {
        guard classCount > 0 else { return 0 }
        let covered = min(classCount, configuration.trainItems)
        return (job.index % covered) * classCount / covered
    }

    /// `index` in decimal, zero-padded to `width` digits.
    static func padded(_ index: Int, width: Int) -> String {
        let digits = String(index)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
