import Foundation

/// Beat times from a GTZAN-Rhythm v2 JAMS file (probe-spec §2.2, §2.3): the annotation in
/// namespace `beat` whose `sandbox.annotation_type` is `beat` (the other one is `downbeat`).
/// Observations are JAMS 0.3 objects (`{"time": 0.52, "duration": 0, …}`) or the older column
/// form (`"data": {"time": [...], …}`).
enum JAMSBeats {
    /// The beat times of `url` in seconds, ascending.
    ///
    /// - Throws: ``DataSetError`` for a missing file, invalid JSON, no such annotation, or an
    ///   observation without a finite, non-negative `time`.
    static func beatTimes(in url: URL, files: DataSetFiles) throws -> [Double] {
        let expected = "a GTZAN-Rhythm JAMS file with a beat annotation"
        let json = try files.json(of: url, expected: expected)
        guard let document = json as? [String: Any],
            let annotations = document["annotations"] as? [[String: Any]]
        else {
            throw files.error(url, "expected a JSON object with an 'annotations' array")
        }
        let beat = annotations.first { annotation in
            let sandbox = annotation["sandbox"] as? [String: Any]
            return annotation["namespace"] as? String == "beat"
                && sandbox?["annotation_type"] as? String == "beat"
        }
        guard let beat else {
            throw files.error(
                url, "no annotation in namespace 'beat' with sandbox.annotation_type 'beat'")
        }
        let times: [Any]
        if let observations = beat["data"] as? [[String: Any]] {
            times = observations.map { $0["time"] as Any }
        } else if let columns = beat["data"] as? [String: Any],
            let column = columns["time"] as? [Any]
        {
            times = column
        } else {
            throw files.error(url, "the beat annotation's 'data' holds no observations with 'time'")
        }
        return try times.enumerated().map { index, value in
            guard let time = (value as? NSNumber)?.doubleValue, time.isFinite, time >= 0 else {
                throw files.error(
                    url, "beat observation \(index) has no finite, non-negative 'time'")
            }
            return time
        }.sorted()
    }
}
