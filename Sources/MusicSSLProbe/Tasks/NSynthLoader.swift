import Foundation

/// Reads NSynth instrument-family and pitch classification on the official splits, as MARBLE
/// v1's `tasks/NSynth/NSynth{I,P}_dataset.py` label them (probe-spec §2.3).
///
/// Layout under `root` (e.g. `/data/NSynth`, or its `nsynth-data/` subfolder):
/// ```
/// nsynth-{train,valid,test}/examples.json         {"<note_str>": {"pitch": 66,
///                                                   "instrument_family_str": "guitar", …}, …}
/// nsynth-{train,valid,test}/audio/<note_str>.wav  4-s, 16-kHz notes
/// ```
/// Item ids are paths relative to `root` (`nsynth-test/audio/guitar_acoustic_010-066-100.wav`).
public enum NSynthLoader {
    /// The 11 instrument families in label-index order (NSynth's `instrument_family`).
    public static let instrumentFamilies = [
        "bass", "brass", "flute", "guitar", "keyboard", "mallet", "organ", "reed", "string",
        "synth_lead", "vocal",
    ]

    /// Instrument-family classification over ``instrumentFamilies``; `.accuracy`.
    ///
    /// - Throws: ``DataSetError`` for a missing or malformed `examples.json` (naming the note),
    ///   an unknown family, or a missing audio file.
    public static func loadInstrument(from root: URL) throws -> ProbeTask {
        let task = NamedTask.nsynthInstrument
        let files = DataSetFiles(task: task.rawValue, root: root)
        let items = try notes(root: root, files: files).map { note in
            guard let family = instrumentFamilies.firstIndex(of: note.family) else {
                throw files.error(
                    note.source,
                    "note \(note.name): instrument_family_str '\(note.family)' is not one of "
                        + instrumentFamilies.joined(separator: ", "))
            }
            return TaskItem(
                id: note.id, url: note.audio, split: note.split, label: .classIndex(family))
        }
        return task.task(kind: .singleLabel(classes: instrumentFamilies), items: items)
    }

    /// Pitch classification over 128 classes; `.accuracy`. With
    /// ``NSynthPitchLabeling/midiNoteNumber`` class `n` is MIDI `n` (named `"n"`); with
    /// ``NSynthPitchLabeling/marbleMinusOne`` class `n` is MIDI `n + 1` (named `"n+1"`).
    ///
    /// - Throws: ``DataSetError`` as ``loadInstrument(from:)``, or for a pitch outside the
    ///   classes.
    public static func loadPitch(
        from root: URL, labeling: NSynthPitchLabeling = .midiNoteNumber
    ) throws -> ProbeTask {
        let task = NamedTask.nsynthPitch
        let files = DataSetFiles(task: task.rawValue, root: root)
        let offset = labeling == .marbleMinusOne ? 1 : 0
        let items = try notes(root: root, files: files).map { note in
            let index = note.pitch - offset
            guard (0..<128).contains(index) else {
                throw files.error(
                    note.source,
                    "note \(note.name): pitch \(note.pitch) has no class under \(labeling.rawValue)"
                )
            }
            return TaskItem(
                id: note.id, url: note.audio, split: note.split, label: .classIndex(index))
        }
        let classes = (0..<128).map { String($0 + offset) }
        return task.task(kind: .singleLabel(classes: classes), items: items)
    }

    /// One entry of an `examples.json`.
    struct Note {
        var name: String
        var id: String
        var audio: URL
        var split: DataSplit
        var family: String
        var pitch: Int
        var source: URL
    }

    /// The notes of the three splits.
    static func notes(root: URL, files: DataSetFiles) throws -> [Note] {
        let nested = root.appendingPathComponent("nsynth-data")
        let base =
            !files.isFolder(root.appendingPathComponent("nsynth-train"))
                && files.isFolder(nested.appendingPathComponent("nsynth-train")) ? nested : root
        return try DataSplit.allCases.flatMap { split in
            let folder = base.appendingPathComponent("nsynth-\(split.rawValue)")
            let source = folder.appendingPathComponent("examples.json")
            let json = try files.json(
                of: source, expected: "NSynth's examples.json, an object keyed by note_str")
            guard let entries = json as? [String: Any] else {
                throw files.error(source, "expected a JSON object keyed by note_str")
            }
            return try entries.keys.sorted().map { name in
                guard let entry = entries[name] as? [String: Any],
                    let family = entry["instrument_family_str"] as? String,
                    let pitch = (entry["pitch"] as? NSNumber)?.intValue
                else {
                    throw files.error(
                        source,
                        "note \(name): expected an object with instrument_family_str and pitch")
                }
                let audio = try files.audio(
                    files.resolve("audio/\(name).wav", in: folder, source: source),
                    namedBy: source)
                return Note(
                    name: name, id: files.id(of: audio), audio: audio, split: split,
                    family: family, pitch: pitch, source: source)
            }
        }
    }
}
