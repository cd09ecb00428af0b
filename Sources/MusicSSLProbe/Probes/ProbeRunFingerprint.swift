import MusicSSLTrain

/// What a finished sweep run depended on besides its (learning rate, layer, seed) key: the task
/// (name, metric, kind, schedule, every item's id, split, label and group), the features'
/// identity as the caller names it (e.g. the feature cache's header and a hash of its item
/// list), and ``ProbeTrainingConfiguration/settingsDescription``. Its ``value`` is the XXH64 of
/// all three, in hexadecimal.
public struct ProbeRunFingerprint: Sendable, Equatable {
    /// 16 hexadecimal digits.
    public let value: String

    /// Fingerprints a task, its features and the training settings.
    public init(task: ProbeTask, featuresIdentity: String, settings: String) {
        var hasher = XXHash64()
        func feed(_ text: String) {
            hasher.update(Array(text.utf8))
            hasher.update([0])
        }
        feed("task=\(task.name);metric=\(task.metric.rawValue);kind=\(task.kind)")
        feed("schedule=\(task.schedule);window=\(task.windowSeconds)")
        for item in task.items {
            feed("\(item.id)|\(item.split.rawValue)|\(item.label)|\(item.group ?? "")")
        }
        feed("features=\(featuresIdentity)")
        feed("settings=\(settings)")
        let digest = String(hasher.finalize(), radix: 16)
        value = String(repeating: "0", count: 16 - digest.count) + digest
    }
}
