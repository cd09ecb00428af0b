import Foundation

/// File access shared by the data-set loaders: reading metadata files, checking that audio
/// exists, and turning paths into item ids, each failure a ``DataSetError`` that names the task,
/// the file (with `:line` where a line is at fault) and what was expected.
struct DataSetFiles {
    /// The task name errors carry, e.g. `gtzan-genre`.
    var task: String
    /// The data set's folder; item ids are paths relative to it.
    var root: URL

    /// An error at `url`, or at `url:line`.
    func error(_ url: URL, line: Int? = nil, _ problem: String) -> DataSetError {
        let location = line.map { "\(url.path):\($0)" } ?? url.path
        return DataSetError(task: task, location: location, problem: problem)
    }

    /// Whether a regular file (or a link to one) is at `url`.
    func isFile(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
            && !isDirectory.boolValue
    }

    /// Whether a folder is at `url`.
    func isFolder(_ url: URL) -> Bool {
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory)
            && isDirectory.boolValue
    }

    /// The UTF-8 text of `url`.
    ///
    /// - Parameter expected: What the file should be, for the message when it is missing.
    func text(of url: URL, expected: String) throws -> String {
        guard isFile(url) else { throw error(url, "missing, expected \(expected)") }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw error(url, "unreadable, expected \(expected)")
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw error(url, "not UTF-8 text, expected \(expected)")
        }
        return text
    }

    /// The non-blank lines of `url`, trimmed, each with its 1-based line number.
    func lines(of url: URL, expected: String) throws -> [(text: String, line: Int)] {
        let text = try text(of: url, expected: expected)
        return text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            .compactMap { index, line in
                let trimmed = line.trimmingCharacters(in: .whitespacesAndNewlines)
                return trimmed.isEmpty ? nil : (trimmed, index + 1)
            }
    }

    /// The records of the delimited file `url` (``DelimitedText``), read as Python's `csv`
    /// module reads it unless `closingQuote` says otherwise.
    func table(
        of url: URL, delimiter: DelimitedText.Delimiter, expected: String,
        closingQuote: DelimitedText.ClosingQuote = .mayContinueField
    ) throws -> DelimitedText {
        var text = try text(of: url, expected: expected)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        do {
            return try DelimitedText(
                parsing: text, delimiter: delimiter, closingQuote: closingQuote)
        } catch let malformation as DelimitedText.Malformation {
            throw error(url, line: malformation.line, malformation.problem)
        }
    }

    /// The parsed JSON value of `url`.
    func json(of url: URL, expected: String) throws -> Any {
        guard isFile(url) else { throw error(url, "missing, expected \(expected)") }
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw error(url, "unreadable, expected \(expected)")
        }
        do {
            return try JSONSerialization.jsonObject(with: data)
        } catch {
            throw self.error(url, "not valid JSON, expected \(expected)")
        }
    }

    /// `relativePath` under `folder`, refused when it is absolute or climbs out with `..`.
    ///
    /// - Parameters:
    ///   - source: The file and line that named the path, for the message.
    func resolve(
        _ relativePath: String, in folder: URL, source: URL, line: Int? = nil
    ) throws -> URL {
        let components = relativePath.split(separator: "/")
        guard !relativePath.hasPrefix("/"), !components.isEmpty,
            !components.contains(where: { $0 == ".." })
        else {
            throw error(
                source, line: line,
                "'\(relativePath)' is not a relative path inside \(folder.path)")
        }
        return components.reduce(folder) { $0.appendingPathComponent(String($1)) }
    }

    /// `url`, after checking that an audio file is there.
    ///
    /// - Parameters:
    ///   - source: The metadata file (and line) that named the item, for the message.
    func audio(_ url: URL, namedBy source: URL, line: Int? = nil) throws -> URL {
        guard isFile(url) else {
            throw error(source, line: line, "audio file \(url.path) does not exist")
        }
        return url
    }

    /// The path of `url` relative to ``root``: the item id.
    func id(of url: URL) -> String {
        let rootComponents = root.standardizedFileURL.pathComponents
        let components = url.standardizedFileURL.pathComponents
        guard components.starts(with: rootComponents) else { return url.path }
        return components.dropFirst(rootComponents.count).joined(separator: "/")
    }

    /// The one child folder of `folder` whose name starts with `prefix`, such as
    /// `giantsteps-key-dataset-<sha>`; a child named exactly `prefix` wins.
    func folder(in folder: URL, prefix: String) throws -> URL {
        let exact = folder.appendingPathComponent(prefix)
        if isFolder(exact) { return exact }
        let names = try contents(of: folder)
        // Only folders: a downloaded `<prefix>-<sha>.zip` beside its unpacked copy is no match.
        let matches = names.filter {
            $0.hasPrefix(prefix + "-") && isFolder(folder.appendingPathComponent($0))
        }.sorted()
        guard matches.count == 1, let name = matches.first else {
            let found = matches.isEmpty ? "none" : matches.joined(separator: ", ")
            throw error(
                folder,
                "expected exactly one folder named \(prefix) or \(prefix)-<commit>, found \(found)")
        }
        return folder.appendingPathComponent(name)
    }

    /// The entry names of `folder`.
    func contents(of folder: URL) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: folder.path)
        } catch {
            throw self.error(folder, "cannot list the folder: \(error.localizedDescription)")
        }
    }
}
