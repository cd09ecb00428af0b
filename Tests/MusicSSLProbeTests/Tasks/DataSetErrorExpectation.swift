import Foundation
import MusicSSLProbe
import Testing

/// Expects `body` to throw a ``DataSetError`` whose location ends with `locationSuffix` (a
/// path tail, with `:line` where a line is at fault) and whose problem contains `problem`.
func expectDataSetError(
    locationSuffix: String, problem: String, sourceLocation: SourceLocation = #_sourceLocation,
    _ body: () throws -> Void
) {
    do {
        try body()
        Issue.record(
            "expected a DataSetError at …\(locationSuffix)", sourceLocation: sourceLocation)
    } catch let error as DataSetError {
        #expect(
            error.location.hasSuffix(locationSuffix), "\(error)", sourceLocation: sourceLocation)
        #expect(error.problem.contains(problem), "\(error)", sourceLocation: sourceLocation)
        #expect(
            error.description.hasPrefix("[\(error.task)] /"), "\(error)",
            sourceLocation: sourceLocation)
    } catch {
        Issue.record("expected a DataSetError, got \(error)", sourceLocation: sourceLocation)
    }
}

/// Replaces the first occurrence of `old` with `new` in the text file at `url`.
func editFixture(_ url: URL, replacing old: String, with new: String) throws {
    let text = try String(contentsOf: url, encoding: .utf8)
    guard let range = text.range(of: old) else {
        Issue.record("\(url.path) does not contain '\(old)'")
        return
    }
    try Data(text.replacingCharacters(in: range, with: new).utf8).write(to: url)
}

extension ProbeTask {
    /// The ids of `split`'s items.
    func ids(in split: DataSplit) -> [String] { items(in: split).map(\.id) }
}
