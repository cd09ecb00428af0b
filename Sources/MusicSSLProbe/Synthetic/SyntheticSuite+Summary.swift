import Foundation

extension SyntheticSuite {
    /// One written task.
    public struct TaskSummary: Codable, Equatable, Sendable {
        /// The task, whose raw value is its name and folder.
        public var kind: SyntheticTaskKind
        /// `tasks/<kind>/manifest.csv`, for ``CSVTask/load(manifest:name:target:audioRoot:)``.
        public var manifest: URL
        /// Items in the train split.
        public var trainItems: Int
        /// Items in the valid split.
        public var validItems: Int
        /// Items in the test split.
        public var testItems: Int
        /// The class names used, sorted as ``CSVTask`` sorts them (all 24 keys for `key`;
        /// empty for `beat`).
        public var classes: [String]
    }

    /// What ``SyntheticSuite/write(to:progress:)`` wrote.
    public struct Summary: Equatable, Sendable {
        /// The labelled tasks, in the configuration's order.
        public var tasks: [TaskSummary]
        /// The corpus folder, `corpus/`, holding only the corpus's audio files.
        public var corpus: URL
        /// `suite.json`: the configuration and the tasks.
        public var suiteFile: URL
        /// Audio files written (task clips and corpus files).
        public var fileCount: Int
        /// Seconds of audio written.
        public var audioSeconds: Double
    }
}
