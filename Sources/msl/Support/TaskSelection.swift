import ArgumentParser
import Foundation
import MusicSSLProbe

/// Turns `msl probe` / `msl benchmark` arguments into tasks: the paper's named tasks read from
/// their data set folders, or a CSV task from a user's manifests.
enum TaskSelection {
    /// The named task `name`, loaded from `root`.
    static func named(_ name: String, root: URL) throws -> ProbeSession.Task {
        guard let task = NamedTask(rawValue: name) else {
            throw ValidationError(
                "Unknown task '\(name)'. Tasks: \(NamedTask.allCases.map(\.rawValue).joined(separator: ", "))."
            )
        }
        return ProbeSession.Task(
            task: try task.load(from: root), title: task.reportName,
            dataSetKey: task.dataSetFolderName)
    }

    /// Every named task in `names` (`all` for the 13), each read from
    /// `<dataRoot>/<its data set folder>`. With `all`, tasks whose folder is missing or whose
    /// data set does not load (GTZAN without the rhythm annotations) are left out and reported
    /// in `skipped` with the reason; a task named explicitly must load.
    static func named(
        _ names: [String], dataRoot: URL
    ) throws -> (tasks: [ProbeSession.Task], skipped: [String]) {
        let isAll = names == ["all"]
        let selected = isAll ? NamedTask.allCases.map(\.rawValue) : names
        var tasks: [ProbeSession.Task] = []
        var skipped: [String] = []
        for name in selected {
            guard let task = NamedTask(rawValue: name) else {
                _ = try named(name, root: dataRoot)
                continue
            }
            let root = dataRoot.appendingPathComponent(task.dataSetFolderName)
            if isAll && !FileManager.default.fileExists(atPath: root.path) {
                skipped.append("\(name) (no \(root.path))")
                continue
            }
            do {
                tasks.append(try named(name, root: root))
            } catch let error as DataSetError where isAll {
                skipped.append("\(name) (\(error))")
            }
        }
        return (tasks, skipped)
    }
}
