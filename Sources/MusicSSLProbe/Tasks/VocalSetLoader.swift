import Foundation

/// Reads VocalSet singing-technique and singer classification (probe-spec §2.3).
///
/// Two layouts under `root` (e.g. `/data/VocalSet`):
///
/// * **MARBLE's preprocessed layout** (the canonical split, read when the target's lists exist):
///   `audio/<technique>/<stem>_<NN>.wav` (3-s chunks written by MARBLE v1's
///   `tasks/VocalSet/preprocess.py`) and the lists `{train,valid,test}_t.txt` (technique) or
///   `{train,valid,test}_s.txt` (singer), one path per line relative to `audio/`
///   (`belt/f1_arpeggios_belt_c_a_00.wav`; an `audio/` prefix is accepted).
/// * **The raw Zenodo layout** `FULL/<singer>/<context>/<technique>/<file>.wav`, when there are
///   no lists: see ``VocalSetRawSplit``. That split is deterministic but **not MARBLE's**.
///
/// The technique label is the technique folder (one of ``techniques``; files of other folders
/// are refused in lists and skipped in the raw layout); the singer label is the file name's
/// prefix before the first `_` (preprocessed) or the singer folder (raw), one of ``singers``.
public enum VocalSetLoader {
    /// What a VocalSet task predicts.
    public enum Target: Sendable, CaseIterable {
        /// The singing technique, over ``VocalSetLoader/techniques``.
        case technique
        /// The singer, over ``VocalSetLoader/singers``.
        case singer

        /// The task.
        var task: NamedTask { self == .technique ? .vocalSetTechnique : .vocalSetSinger }
        /// The class names in label-index order.
        var classes: [String] { self == .technique ? techniques : singers }
        /// The list files' suffix: `t` or `s`.
        var listSuffix: String { self == .technique ? "t" : "s" }
    }

    /// MARBLE's 10 technique classes in label-index order (`tasks/VocalSet/VocalSetT_dataset.py`).
    public static let techniques = [
        "belt", "breathy", "inhaled", "lip_trill", "spoken", "straight", "trill", "trillo",
        "vibrato", "vocal_fry",
    ]

    /// MARBLE's 20 singer classes in label-index order: f1…f9, then m1…m11.
    public static let singers = (1...9).map { "f\($0)" } + (1...11).map { "m\($0)" }

    /// The task for `target`; `.singleLabel`, `.accuracy`.
    ///
    /// - Throws: ``DataSetError`` for a missing list or audio file, a listed path outside the
    ///   classes (naming the line), or neither layout under `root`.
    public static func load(_ target: Target, from root: URL) throws -> ProbeTask {
        let task = target.task
        let files = DataSetFiles(task: task.rawValue, root: root)
        let lists = DataSplit.allCases.map { split in
            (split, root.appendingPathComponent("\(split.rawValue)_\(target.listSuffix).txt"))
        }
        let items: [TaskItem]
        if lists.contains(where: { files.isFile($0.1) }) {
            items = try listedItems(target, lists: lists, files: files)
        } else if files.isFolder(root.appendingPathComponent("FULL")) {
            items = try VocalSetRawSplit.items(target, files: files)
        } else {
            throw files.error(
                root,
                "expected MARBLE's lists train_\(target.listSuffix).txt, valid_… and test_… with "
                    + "audio/<technique>/, or the raw FULL/<singer>/<context>/<technique>/ tree")
        }
        return task.task(kind: .singleLabel(classes: target.classes), items: items)
    }

    /// The items of MARBLE's three lists.
    static func listedItems(
        _ target: Target, lists: [(DataSplit, URL)], files: DataSetFiles
    ) throws -> [TaskItem] {
        let audioFolder = files.root.appendingPathComponent("audio")
        var seen: Set<String> = []
        return try lists.flatMap { split, list in
            let lines = try files.lines(
                of: list, expected: "MARBLE's VocalSet list of <technique>/<file>.wav paths")
            return try lines.map { text, line in
                let path = text.hasPrefix("audio/") ? String(text.dropFirst(6)) : text
                let components = path.split(separator: "/").map(String.init)
                let name = components.last ?? ""
                let className =
                    target == .technique
                    ? components.first ?? "" : String(name.prefix { $0 != "_" })
                guard components.count == 2, let index = target.classes.firstIndex(of: className)
                else {
                    throw files.error(
                        list, line: line,
                        "'\(text)' is not <technique>/<singer>_….wav with a \(target) among "
                            + target.classes.joined(separator: ", "))
                }
                guard seen.insert(path).inserted else {
                    throw files.error(list, line: line, "'\(text)' is listed twice")
                }
                let audio = try files.audio(
                    files.resolve(path, in: audioFolder, source: list, line: line),
                    namedBy: list, line: line)
                return TaskItem(
                    id: files.id(of: audio), url: audio, split: split, label: .classIndex(index))
            }
        }
    }
}
