import Foundation

/// Where `msl features` writes the array of each input, decided and checked before any audio is
/// read.
///
/// `-o OUT` is one `.npy` file when there is one input and `OUT` ends in `.npy` (and is not an
/// existing directory); otherwise it is a directory, created if missing, that receives
/// `<input name without extension>.npy` for each input. Two inputs that would write the same
/// file, several inputs with a `.npy` file as `OUT`, and existing outputs (unless overwriting is
/// allowed) are refused up front, so a long run never fails halfway over a name.
struct FeatureOutputPlan: Equatable {
    /// One input and the file its features go to.
    struct Job: Equatable {
        let input: URL
        let output: URL
    }

    /// Every input in the order given, with its output.
    let jobs: [Job]
    /// The directory `-o` names, when it names one; it is created before writing.
    let directory: URL?

    /// Plans the outputs of `inputs` for `-o output`.
    ///
    /// - Parameters:
    ///   - inputs: Audio file paths, at least one.
    ///   - output: The `-o` argument.
    ///   - allowsOverwriting: Whether existing output files may be replaced.
    /// - Throws: ``FeatureOutputError`` for a plan that would be ambiguous or destructive.
    init(
        inputs: [String], output: String, allowsOverwriting: Bool,
        fileManager: FileManager = .default
    ) throws {
        guard !inputs.isEmpty else { throw FeatureOutputError.noInputs }
        var isDirectory: ObjCBool = false
        let exists = fileManager.fileExists(atPath: output, isDirectory: &isDirectory)
        let outputURL = URL(fileURLWithPath: output)
        let namesFile = outputURL.pathExtension.lowercased() == "npy" && !output.hasSuffix("/")
        if exists && isDirectory.boolValue || !namesFile {
            if exists && !isDirectory.boolValue {
                throw FeatureOutputError.notADirectory(output)
            }
            let directory = URL(fileURLWithPath: output, isDirectory: true).standardizedFileURL
            jobs = inputs.map { input in
                let name = URL(fileURLWithPath: input).deletingPathExtension().lastPathComponent
                return Job(
                    input: URL(fileURLWithPath: input),
                    output: directory.appendingPathComponent(name + ".npy"))
            }
            self.directory = directory
        } else {
            guard inputs.count == 1 else {
                throw FeatureOutputError.fileForManyInputs(output, inputCount: inputs.count)
            }
            jobs = [
                Job(input: URL(fileURLWithPath: inputs[0]), output: outputURL.standardizedFileURL)
            ]
            directory = nil
        }

        var firstInputByOutput: [String: String] = [:]
        for job in jobs {
            if let first = firstInputByOutput[job.output.path] {
                throw FeatureOutputError.collidingOutputs(
                    job.output.path, inputs: [first, job.input.path])
            }
            firstInputByOutput[job.output.path] = job.input.path
        }
        if !allowsOverwriting {
            let existing = jobs.map(\.output.path).filter { fileManager.fileExists(atPath: $0) }
            if !existing.isEmpty { throw FeatureOutputError.outputsExist(existing) }
        }
    }
}

/// Why `msl features` refuses its outputs; each message says what to change.
enum FeatureOutputError: Error, Equatable, CustomStringConvertible {
    /// No input files were given.
    case noInputs
    /// `-o` names a `.npy` file but several inputs were given.
    case fileForManyInputs(String, inputCount: Int)
    /// `-o` should be a directory but names an existing file.
    case notADirectory(String)
    /// Two inputs would write the same output file.
    case collidingOutputs(String, inputs: [String])
    /// Output files already exist and overwriting was not asked for.
    case outputsExist([String])

    var description: String {
        switch self {
        case .noInputs:
            return "no input files given"
        case .fileForManyInputs(let output, let inputCount):
            return "-o \(output) is a .npy file, but \(inputCount) inputs were given; "
                + "pass a directory to receive one .npy per input"
        case .notADirectory(let output):
            return "-o \(output) exists and is not a directory; pass a directory, or a .npy "
                + "file name for a single input"
        case .collidingOutputs(let output, let inputs):
            return "inputs \(inputs.joined(separator: " and ")) would both write \(output); "
                + "rename them or run them separately"
        case .outputsExist(let paths):
            let shown = paths.prefix(3).joined(separator: ", ")
            let more = paths.count > 3 ? " and \(paths.count - 3) more" : ""
            return "\(shown)\(more) already exist\(paths.count == 1 ? "s" : ""); "
                + "pass --overwrite to replace"
        }
    }
}
