import Foundation
import Testing

/// Starting the `msl` binary under `mpirun` from a test: finding `mpirun`, its arguments and
/// environment, and running it with its output in a log file.
///
/// ```swift
/// guard let mpirun = MPILaunch.mpirunOrIssue() else { return }   // records why it is missing
/// let status = try MPILaunch.run(ranks: 2, binary: MPILaunch.mslBinary(), arguments: ["extract", …], log: log)
/// ```
enum MPILaunch {
    /// `mpirun` from `PATH`, nil when it is not installed.
    static func mpirun() -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = URL(fileURLWithPath: String(folder)).appendingPathComponent("mpirun")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// `mpirun`, or nil after recording an issue (a failure) that says why it is missing: on CI
    /// (`CI=true`) the image must have it; elsewhere `make deps` installs it. Never a silent
    /// pass.
    static func mpirunOrIssue(sourceLocation: SourceLocation = #_sourceLocation) -> URL? {
        if let found = mpirun() { return found }
        if ProcessInfo.processInfo.environment["CI"] == "true" {
            Issue.record(
                "mpirun is not on PATH on CI (CI=true): the image must include openmpi-bin",
                sourceLocation: sourceLocation)
        } else {
            Issue.record(
                "mpirun is not on PATH: `make deps` installs openmpi-bin (Open MPI)",
                sourceLocation: sourceLocation)
        }
        return nil
    }

    /// The `msl` binary `swift build` puts next to the test bundle.
    static func mslBinary() -> URL {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
            .appendingPathComponent("msl")
    }

    /// ``mslBinary()``, or a test failure saying where it was looked for.
    static func requireMSLBinary(sourceLocation: SourceLocation = #_sourceLocation) throws -> URL {
        let binary = mslBinary()
        try #require(
            FileManager.default.isExecutableFile(atPath: binary.path),
            "the msl binary is built next to the test bundle by swift build / swift test: \(binary.path)",
            sourceLocation: sourceLocation)
        return binary
    }

    /// `mpirun`'s arguments for `ranks` copies of `binary arguments…`: `--oversubscribe` so a
    /// machine with fewer cores than ranks still starts them all.
    static func arguments(ranks: Int, binary: URL, arguments: [String]) -> [String] {
        ["--oversubscribe", "-np", String(ranks), binary.path] + arguments
    }

    /// This process's environment, plus what lets Open MPI start as root (containers, CI).
    static func environment() -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["OMPI_ALLOW_RUN_AS_ROOT"] = "1"
        environment["OMPI_ALLOW_RUN_AS_ROOT_CONFIRM"] = "1"
        return environment
    }

    /// Starts `binary arguments…` on `ranks` ranks, standard output and error into `log`
    /// (replaced); returns the running `mpirun`.
    ///
    /// - Throws: ``MPILaunchError/mpirunMissing`` without `mpirun` on `PATH`, and `Process`'s
    ///   errors.
    static func start(ranks: Int, binary: URL, arguments: [String], log: URL) throws -> Process {
        guard let mpirun = mpirun() else { throw MPILaunchError.mpirunMissing }
        return try startProcess(
            mpirun, self.arguments(ranks: ranks, binary: binary, arguments: arguments),
            environment: environment(), log: log)
    }

    /// Runs `binary arguments…` on `ranks` ranks to the end (see ``start(ranks:binary:arguments:log:)``);
    /// returns `mpirun`'s exit status.
    static func run(ranks: Int, binary: URL, arguments: [String], log: URL) throws -> Int32 {
        let process = try start(ranks: ranks, binary: binary, arguments: arguments, log: log)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// Runs `binary arguments…` as one plain process (no mpirun), output into `log`; returns
    /// its exit status: the single-process run to compare an MPI run with.
    static func runAlone(binary: URL, arguments: [String], log: URL) throws -> Int32 {
        let process = try startProcess(binary, arguments, environment: nil, log: log)
        process.waitUntilExit()
        return process.terminationStatus
    }

    /// The log's text, for failure messages.
    static func text(of log: URL) -> String {
        (try? String(contentsOf: log, encoding: .utf8)) ?? "(no log at \(log.path))"
    }

    private static func startProcess(
        _ executable: URL, _ arguments: [String], environment: [String: String]?, log: URL
    ) throws -> Process {
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let output = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        process.standardOutput = output
        process.standardError = output
        try process.run()
        return process
    }
}

/// Why ``MPILaunch`` could not start a job.
enum MPILaunchError: Error, CustomStringConvertible {
    /// `mpirun` is not on `PATH`.
    case mpirunMissing

    var description: String { "mpirun is not on PATH; `make deps` installs openmpi-bin" }
}
