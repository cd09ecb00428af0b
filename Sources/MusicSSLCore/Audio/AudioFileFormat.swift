import CSndFile

/// The file formats ``AudioEncoder`` writes, each a container and an encoding libsndfile
/// supports. ``AudioDecoder`` reads these and everything else libsndfile 1.2 reads.
public enum AudioFileFormat: CaseIterable, Sendable {
    /// WAV, unsigned 8-bit PCM (WAV has no signed 8-bit PCM).
    case wavPCM8
    /// WAV, signed 16-bit PCM.
    case wavPCM16
    /// WAV, signed 24-bit PCM.
    case wavPCM24
    /// WAV, signed 32-bit PCM.
    case wavPCM32
    /// WAV, 32-bit IEEE float.
    case wavFloat
    /// FLAC, 16-bit: lossless at 16-bit resolution.
    case flac
    /// Vorbis in Ogg, libsndfile's default quality.
    case oggVorbis
    /// Opus in Ogg. Opus runs at 8, 12, 16, 24 or 48 kHz only.
    case oggOpus
    /// MPEG-1/2/2.5 Layer III through LAME, at 8, 11.025, 12, 16, 22.05, 24, 32, 44.1 or 48 kHz.
    case mp3

    /// The usual file extension, without the dot.
    public var fileExtension: String {
        switch self {
        case .wavPCM8, .wavPCM16, .wavPCM24, .wavPCM32, .wavFloat: "wav"
        case .flac: "flac"
        case .oggVorbis: "ogg"
        case .oggOpus: "opus"
        case .mp3: "mp3"
        }
    }

    /// Whether decoding returns the written samples up to the format's quantisation.
    public var isLossless: Bool {
        switch self {
        case .wavPCM8, .wavPCM16, .wavPCM24, .wavPCM32, .wavFloat, .flac: true
        case .oggVorbis, .oggOpus, .mp3: false
        }
    }

    /// libsndfile's `SF_FORMAT_*` container and encoding bits.
    var soundFileFormat: Int32 {
        let bits =
            switch self {
            case .wavPCM8: SF_FORMAT_WAV | SF_FORMAT_PCM_U8
            case .wavPCM16: SF_FORMAT_WAV | SF_FORMAT_PCM_16
            case .wavPCM24: SF_FORMAT_WAV | SF_FORMAT_PCM_24
            case .wavPCM32: SF_FORMAT_WAV | SF_FORMAT_PCM_32
            case .wavFloat: SF_FORMAT_WAV | SF_FORMAT_FLOAT
            case .flac: SF_FORMAT_FLAC | SF_FORMAT_PCM_16
            case .oggVorbis: SF_FORMAT_OGG | SF_FORMAT_VORBIS
            case .oggOpus: SF_FORMAT_OGG | SF_FORMAT_OPUS
            case .mp3: SF_FORMAT_MPEG | SF_FORMAT_MPEG_LAYER_III
            }
        return Int32(bits)
    }
}
