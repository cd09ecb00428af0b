import Foundation

/// One labelled example of a task: an audio file (or a region of one), its split and its label.
public struct TaskItem: Sendable, Equatable {
    /// Unique within the task and the feature-cache key: a relative path such as
    /// `blues/blues.00000.wav`, with a suffix such as `#2` for the third clip of a file.
    public var id: String
    /// The audio file.
    public var url: URL
    /// The region of ``url`` the item covers; nil for the whole file.
    public var region: AudioRegion?
    /// Train, valid or test.
    public var split: DataSplit
    /// The annotation.
    public var label: TaskLabel
    /// Items that are scored together, e.g. the clips of one GiantSteps song (song-level key
    /// fusion); nil when every item stands alone.
    public var group: String?

    /// Creates an item.
    public init(
        id: String, url: URL, region: AudioRegion? = nil, split: DataSplit, label: TaskLabel,
        group: String? = nil
    ) {
        self.id = id
        self.url = url
        self.region = region
        self.split = split
        self.label = label
        self.group = group
    }
}
