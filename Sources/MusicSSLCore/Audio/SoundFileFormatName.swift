import CSndFile

/// Names libsndfile's `SF_FORMAT_*` bits in words for ``AudioFileInfo/format``.
enum SoundFileFormatName {
    /// A short human name, e.g. `"WAV PCM 16-bit"`, `"FLAC PCM 24-bit"`, `"Ogg Opus"`, `"MP3"`;
    /// libsndfile's own names for containers and encodings this table does not know.
    static func name(of format: Int32) -> String {
        let container = Int(format) & Int(SF_FORMAT_TYPEMASK)
        let encoding = Int(format) & Int(SF_FORMAT_SUBMASK)
        if container == Int(SF_FORMAT_MPEG) {
            switch encoding {
            case Int(SF_FORMAT_MPEG_LAYER_III): return "MP3"
            case Int(SF_FORMAT_MPEG_LAYER_II): return "MP2"
            case Int(SF_FORMAT_MPEG_LAYER_I): return "MP1"
            default: break
            }
        }
        return "\(containerName(container)) \(encodingName(encoding))"
    }

    private static func containerName(_ container: Int) -> String {
        switch container {
        case Int(SF_FORMAT_WAV): "WAV"
        case Int(SF_FORMAT_WAVEX): "WAV (extensible)"
        case Int(SF_FORMAT_RF64): "RF64"
        case Int(SF_FORMAT_W64): "Wave64"
        case Int(SF_FORMAT_AIFF): "AIFF"
        case Int(SF_FORMAT_CAF): "CAF"
        case Int(SF_FORMAT_AU): "AU"
        case Int(SF_FORMAT_FLAC): "FLAC"
        case Int(SF_FORMAT_OGG): "Ogg"
        default:
            libraryName(container, command: SFC_GET_FORMAT_MAJOR, count: SFC_GET_FORMAT_MAJOR_COUNT)
        }
    }

    private static func encodingName(_ encoding: Int) -> String {
        switch encoding {
        case Int(SF_FORMAT_PCM_S8): "PCM 8-bit"
        case Int(SF_FORMAT_PCM_U8): "PCM 8-bit unsigned"
        case Int(SF_FORMAT_PCM_16): "PCM 16-bit"
        case Int(SF_FORMAT_PCM_24): "PCM 24-bit"
        case Int(SF_FORMAT_PCM_32): "PCM 32-bit"
        case Int(SF_FORMAT_FLOAT): "float 32-bit"
        case Int(SF_FORMAT_DOUBLE): "float 64-bit"
        case Int(SF_FORMAT_VORBIS): "Vorbis"
        case Int(SF_FORMAT_OPUS): "Opus"
        default:
            libraryName(
                encoding, command: SFC_GET_FORMAT_SUBTYPE, count: SFC_GET_FORMAT_SUBTYPE_COUNT)
        }
    }

    /// libsndfile's name for `format`, found by walking its table of majors or subtypes.
    private static func libraryName(_ format: Int, command: Int, count countCommand: Int) -> String
    {
        var count: Int32 = 0
        sf_command(nil, Int32(countCommand), &count, Int32(MemoryLayout<Int32>.size))
        for index in 0..<max(0, Int(count)) {
            var entry = SF_FORMAT_INFO()
            entry.format = Int32(index)
            let status = sf_command(
                nil, Int32(command), &entry, Int32(MemoryLayout<SF_FORMAT_INFO>.size))
            if status == 0, Int(entry.format) == format, let name = entry.name {
                return String(cString: name)
            }
        }
        return "format 0x\(String(format, radix: 16))"
    }
}
