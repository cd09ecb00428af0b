import Foundation
import Testing

@testable import MusicSSLProbe

/// SHA-1 artist splits (jukemir / MARBLE), checked against Python's hashlib values.
@Suite("Artist hash split")
struct ArtistHashSplitTests {
    @Test("SHA-1 matches the FIPS 180 test vector")
    func sha1() {
        let hex = ArtistHashSplit.sha1(Array("abc".utf8)).map { String(format: "%02x", $0) }
            .joined()
        #expect(hex == "a9993e364706816aba3e25717850c26c9cd0d89d")
    }

    @Test("the digest modulo the ratio table picks the split as Python's int(hexdigest, 16) does")
    func splits() {
        // Python: int(sha1(b"bravo").hexdigest(), 16) % 116 == 100, "delta" → 15.
        #expect(
            ArtistHashSplit.remainder(of: ArtistHashSplit.sha1(Array("bravo".utf8)), modulo: 116)
                == 100)
        #expect(ArtistHashSplit.split(of: "bravo", trainCount: 100, validCount: 16) == .valid)
        #expect(ArtistHashSplit.split(of: "delta", trainCount: 100, validCount: 16) == .train)
        // Emomusic: "alpha" → 9 of 10 (valid), "mike" → 2 (train).
        #expect(ArtistHashSplit.split(of: "alpha", trainCount: 8, validCount: 2) == .valid)
        #expect(ArtistHashSplit.split(of: "mike", trainCount: 8, validCount: 2) == .train)
    }

    @Test("Emomusic artists keep lower-case ASCII letters and single spaces")
    func emomusicKey() {
        #expect(ArtistHashSplit.emomusicArtistKey("  Lima!\tBand  (Live) ") == "lima band live")
        #expect(ArtistHashSplit.emomusicArtistKey("Beyoncé & Jay-Z") == "beyonc jayz")
    }

    @Test("co-artist propagation runs two passes in row order, as MARBLE's loop does")
    func twoHops() {
        let splits = GiantStepsTrainPool.artistSplits([
            "Mike, Juliett", "Juliett, Foxtrot", "Foxtrot, Bravo",
        ])
        #expect(splits["Bravo"] == .valid)
        #expect(splits["Foxtrot"] == .valid)
        #expect(splits["Juliett"] == .valid)
        // A third hop would need a third pass.
        #expect(splits["Mike"] == .train)
    }
}
