extension SyntheticSuite {
    /// What ``SyntheticSuite/write(to:progress:)`` generates. The defaults make a suite that
    /// trains useful probes yet generates in well under a minute on two cores: 96/32/32 items
    /// for each of the six tasks (3-s clips for pitch, instrument and chord, 8-s for key, beat
    /// and tempo: 88 minutes in all) and 120 corpus files of 10 s (20 minutes), at 16 kHz.
    public struct Configuration: Codable, Equatable, Sendable {
        /// Seeds every clip: item i of task t draws from its own generator, seeded by
        /// (seed, t, split, i); the same seed gives byte-identical files. Default 0.
        public var seed: UInt64
        /// Sample rate of every file in Hz. Default 16000.
        public var sampleRate: Int
        /// The labelled tasks to write. Default all six.
        public var tasks: [SyntheticTaskKind]
        /// Training items per task. Default 96.
        public var trainItems: Int
        /// Validation items per task. Default 32.
        public var validItems: Int
        /// Test items per task. Default 32.
        public var testItems: Int
        /// Clip length in seconds for the tasks given here; others use
        /// ``SyntheticTaskKind/defaultClipSeconds`` (3 s or 8 s). Default empty.
        public var clipSeconds: [SyntheticTaskKind: Double]
        /// Files of the unlabelled corpus. Default 120.
        public var corpusFiles: Int
        /// Length of each corpus file in seconds. Default 10.
        public var corpusSeconds: Double

        /// Creates a configuration; every argument has the default documented on its property.
        public init(
            seed: UInt64 = 0, sampleRate: Int = 16_000,
            tasks: [SyntheticTaskKind] = SyntheticTaskKind.allCases, trainItems: Int = 96,
            validItems: Int = 32, testItems: Int = 32,
            clipSeconds: [SyntheticTaskKind: Double] = [:],
            corpusFiles: Int = 120, corpusSeconds: Double = 10
        ) {
            self.seed = seed
            self.sampleRate = sampleRate
            self.tasks = tasks
            self.trainItems = trainItems
            self.validItems = validItems
            self.testItems = testItems
            self.clipSeconds = clipSeconds
            self.corpusFiles = corpusFiles
            self.corpusSeconds = corpusSeconds
        }

        /// A small suite for smoke tests: 24/8/8 items per task, 12 corpus files of 10 s.
        public static let quick = Configuration(
            trainItems: 24, validItems: 8, testItems: 8, corpusFiles: 12)

        /// The clip length of `kind`'s items in seconds.
        public func clipSeconds(for kind: SyntheticTaskKind) -> Double {
            clipSeconds[kind] ?? kind.defaultClipSeconds
        }

        /// Item counts per split, in the order train, valid, test.
        var itemCounts: [(split: DataSplit, count: Int)] {
            [(.train, trainItems), (.valid, validItems), (.test, testItems)]
        }

        /// Checks that every count and length can be generated.
        ///
        /// - Throws: ``SyntheticSuiteError/invalidConfiguration(_:)`` naming the field.
        public func validate() throws {
            guard sampleRate >= 8_000 else {
                throw SyntheticSuiteError.invalidConfiguration(
                    "sampleRate must be at least 8000 Hz, got \(sampleRate)")
            }
            for (name, count) in [
                ("trainItems", trainItems), ("validItems", validItems), ("testItems", testItems),
            ] where count < 1 && !tasks.isEmpty {
                throw SyntheticSuiteError.invalidConfiguration(
                    "\(name) must be at least 1, got \(count)")
            }
            guard corpusFiles >= 0 else {
                throw SyntheticSuiteError.invalidConfiguration(
                    "corpusFiles must not be negative, got \(corpusFiles)")
            }
            for (name, seconds) in [("corpusSeconds", corpusSeconds)]
                + tasks.map({ ("clipSeconds[\($0.rawValue)]", clipSeconds(for: $0)) })
            where !(seconds >= 1 && seconds <= 600) {
                throw SyntheticSuiteError.invalidConfiguration(
                    "\(name) must be between 1 and 600 s, got \(seconds)")
            }
        }
    }
}
