/// Finds how many frames the final page of an Ogg stream holds, by parsing page headers
/// backwards from the end of the file.
///
/// libsndfile 1.2.0 mispositions a seek whose target lies in the final page of a Vorbis stream
/// (the page's granule position is end-trimmed, so the page's start is computed wrongly; in our
/// tests the samples came back 631 frames early). ``AudioFileReader`` therefore seeks to just
/// before the final page and decodes forward instead.
enum OggFinalPage {
    /// The largest possible Ogg page: a 27-byte header, 255 lacing values, 255 × 255 bytes.
    static let maximumPageByteCount = 27 + 255 + 255 * 255
    /// Bytes from the end of the file that hold the last two pages of typical streams
    /// (libvorbis and libopus pages are a few kilobytes), tried first.
    static let typicalTailByteCount = 16_384
    /// Bytes from the end of the file that always hold the last two complete pages.
    static let maximumTailByteCount = 2 * maximumPageByteCount

    /// The final page's duration in granule units (samples for Vorbis, 48 kHz samples for
    /// Opus): its granule position minus that of the last earlier page that has one; nil when
    /// `tail`, the end of a file, does not end in well-formed pages.
    static func granuleSpan(inTail tail: [UInt8]) -> Int? {
        guard let finalStart = pageStart(endingAt: tail.count, in: tail),
            let finalGranule = granulePosition(at: finalStart, in: tail)
        else { return nil }
        var end = finalStart
        // A page on which no packet ends carries granule position -1; look further back.
        while let start = pageStart(endingAt: end, in: tail) {
            if let granule = granulePosition(at: start, in: tail) {
                return finalGranule >= granule ? finalGranule - granule : nil
            }
            end = start
        }
        return nil
    }

    /// The offset of the page that ends exactly at `end`: a capture pattern "OggS", version 0,
    /// and a segment table whose lengths add up to the bytes before `end`.
    private static func pageStart(endingAt end: Int, in bytes: [UInt8]) -> Int? {
        var candidate = end - 27
        while candidate >= 0, end - candidate <= maximumPageByteCount {
            if bytes[candidate] == 0x4F, bytes[candidate + 1] == 0x67,
                bytes[candidate + 2] == 0x67, bytes[candidate + 3] == 0x53,
                bytes[candidate + 4] == 0
            {
                let headerEnd = candidate + 27 + Int(bytes[candidate + 26])
                if headerEnd <= end {
                    let bodyCount = bytes[candidate + 27..<headerEnd].reduce(0) { $0 + Int($1) }
                    if headerEnd + bodyCount == end { return candidate }
                }
            }
            candidate -= 1
        }
        return nil
    }

    /// The page's little-endian granule position, or nil for -1 (no packet ends on the page).
    private static func granulePosition(at start: Int, in bytes: [UInt8]) -> Int? {
        let value = (0..<8).reduce(UInt64(0)) { $0 | UInt64(bytes[start + 6 + $1]) << (8 * $1) }
        return value == UInt64.max || value > UInt64(Int.max) ? nil : Int(value)
    }
}
