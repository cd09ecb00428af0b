import Foundation

/// MARBLE's frame-level beat labels (probe-spec §2.2, `tasks/GTZAN/GTZANBT_dataset.py`): a
/// grid at the features' frame rate where frame `round(fps · t)` is 1 for every annotated beat
/// `t`, widened by ±1 frame for training only.
public enum BeatLabelGrid {
    /// The grid frames of `beats`: `round(fps · t)` (Python's round-half-even, as NumPy rounds),
    /// ascending, without duplicates, keeping only frames inside `0..<frameCount` (annotations past
    /// the audio's end, as in GTZAN `reggae.00002`, are dropped rather than piled on the last
    /// frame).
    public static func beatFrames(
        _ beats: [Double], framesPerSecond: Double, frameCount: Int
    ) -> [Int] {
        var frames = Set<Int>()
        for beat in beats {
            let frame = Int((framesPerSecond * beat).rounded(.toNearestOrEven))
            if (0..<frameCount).contains(frame) { frames.insert(frame) }
        }
        return frames.sorted()
    }

    /// One class per frame: 1 (beat) at `beatFrames` and within `widening` frames of them, 0
    /// elsewhere. MARBLE trains with `widening` 1 and evaluates with 0.
    public static func targets(frameCount: Int, beatFrames: [Int], widening: Int) -> [Int] {
        var targets = [Int](repeating: 0, count: frameCount)
        for frame in beatFrames {
            for neighbour in (frame - widening)...(frame + widening)
            where (0..<frameCount).contains(neighbour) {
                targets[neighbour] = 1
            }
        }
        return targets
    }
}
