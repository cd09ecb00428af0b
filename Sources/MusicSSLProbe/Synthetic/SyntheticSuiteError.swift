/// Why ``SyntheticSuite`` could not write a suite.
public enum SyntheticSuiteError: Error, CustomStringConvertible, Equatable, Sendable {
    /// A configuration value that cannot be generated; names the field and its value.
    case invalidConfiguration(String)
    /// A file or folder that could not be written, with the system's or encoder's reason.
    case writeFailed(path: String, reason: String)

    /// `[synth] <what was wrong>`.
    public var description: String {
        switch self {
        case .invalidConfiguration(let problem): "[synth] configuration: \(problem)"
        case .writeFailed(let path, let reason): "[synth] \(path): \(reason)"
        }
    }
}
