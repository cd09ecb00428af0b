import Foundation

/// Runs a reference script once in a child process and decodes the JSON object it prints as
/// its last line: the one-shot counterpart of ``TorchReference``, for references that time a
/// whole workload themselves (k-means, the DBN decoder, feature extraction, the probe sweep,
/// resampling).
///
/// - Parameters:
///   - python: The interpreter.
///   - script: The script's path (``referenceScriptPath(_:)``).
///   - arguments: The script's arguments.
///   - environment: Variables set on top of this process's environment (thread counts, malloc
///     settings).
/// - Throws: ``BenchmarkError/pythonNotStarted(_:)`` or ``BenchmarkError/referenceExited`` when
///   the script does not run to the end, and the decoder's error for an unexpected reply.
func runReferenceScript<Reply: Decodable>(
    python: String, script: String, arguments: [String], environment: [String: String] = [:],
    as reply: Reply.Type
) throws -> Reply {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: python)
    process.arguments = [script] + arguments
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    let output = Pipe()
    process.standardOutput = output
    do { try process.run() } catch { throw BenchmarkError.pythonNotStarted(python) }
    let data = output.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0, let line = data.split(separator: UInt8(ascii: "\n")).last
    else { throw BenchmarkError.referenceExited }
    return try JSONDecoder().decode(Reply.self, from: Data(line))
}
