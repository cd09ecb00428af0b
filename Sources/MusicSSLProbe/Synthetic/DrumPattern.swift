/// One bar (four beats) of drums. Every pattern has a hi-hat on every eighth note, so every beat
/// has an onset, and a kick on the downbeat.
enum DrumPattern: CaseIterable, Sendable {
    /// Kick on beats 1 and 3, snare on 2 and 4.
    case rock
    /// Kick on every beat, snare on 2 and 4.
    case fourOnTheFloor
    /// Kick on 1, snare on 3.
    case halfTime

    /// The hits of beat `beatInBar` (0–3): the drum, its offset after the beat in beats, and
    /// its amplitude.
    func hits(beatInBar: Int) -> [(drum: DrumHit, offsetBeats: Double, amplitude: Double)] {
        var hits: [(drum: DrumHit, offsetBeats: Double, amplitude: Double)] = [
            (.hiHat, 0, beatInBar == 0 ? 0.35 : 0.3), (.hiHat, 0.5, 0.15),
        ]
        let isKick: Bool
        let isSnare: Bool
        switch self {
        case .rock:
            isKick = beatInBar % 2 == 0
            isSnare = !isKick
        case .fourOnTheFloor:
            isKick = true
            isSnare = beatInBar % 2 == 1
        case .halfTime:
            isKick = beatInBar == 0
            isSnare = beatInBar == 2
        }
        if isKick { hits.append((.kick, 0, beatInBar == 0 ? 1 : 0.85)) }
        if isSnare { hits.append((.snare, 0, 0.6)) }
        return hits
    }
}
