import Foundation
import MusicSSLTestSupport
import Testing

@Suite("Encoder configurations")
struct EncoderConfigurationTests {
    func parameterCount(_ configuration: EncoderConfiguration) throws -> Int {
        var generator = SplitMix64(seed: 0)
        return try EncoderModel(configuration: configuration, using: &generator).parameterCount
    }

    @Test("the base presets have exactly the reference models' parameter counts")
    func baseCounts() throws {
        #expect(try parameterCount(.hubertBase) == 94_371_712)
        #expect(try parameterCount(.data2vecBase) == 93_164_288)
        // model-spec §7.1's MERT-v1-330M shapes summed by hand: 24 × 12,596,224 (layers)
        // + 4,200,448 (extractor) + 526,336 (projection) + 8,389,760 (positional convolution)
        // + 1,024 (mask embedding) + 2,048 (encoder norm).
        #expect(try parameterCount(.mertLarge) == 315_428_992)
    }

    @Test("the tiny preset is small and keeps the base models' frame rate")
    func tiny() throws {
        let count = try parameterCount(.tiny)
        #expect(count == 4_802_432, "tiny has \(count) parameters")
        #expect(EncoderConfiguration.tiny.frameCount(forSampleCount: 80_000) == 249)
    }

    @Test("frame counts follow ⌊(N − 400)/320⌋ + 1")
    func frameCounts() {
        let configuration = EncoderConfiguration.hubertBase
        for (samples, frames) in [(250_000, 781), (320_000, 999), (480_000, 1499), (80_000, 249), (120_000, 374), (122_880, 383), (400, 1), (399, 0)] {
            #expect(configuration.frameCount(forSampleCount: samples) == frames)
        }
    }

    @Test("configurations round-trip through JSON")
    func codable() throws {
        for configuration in [EncoderConfiguration.hubertBase, .data2vecBase, .mertLarge, .tiny] {
            let data = try JSONEncoder().encode(configuration)
            #expect(try JSONDecoder().decode(EncoderConfiguration.self, from: data) == configuration)
        }
    }

    @Test("a waveform shorter than the receptive field throws instead of crashing")
    func tooShort() throws {
        var generator = SplitMix64(seed: 0)
        let model = try EncoderModel(configuration: EncoderModelParityTests.configuration("hubert"), using: &generator)
        #expect(throws: TensorError.self) { try model(Tensor.zeros([1, 300]), using: &generator) }
        #expect(throws: TensorError.self) { try model(Tensor.zeros([300]), using: &generator) }
    }

    @Test("masked frames are replaced by the mask embedding, not added to")
    func masking() throws {
        var generator = SplitMix64(seed: 1)
        let model = try EncoderModel(configuration: EncoderModelParityTests.configuration("hubert"), using: &generator)
        model.setTraining(false)
        let waveform = Tensor.randomNormal([1, 4000], using: &generator)
        let frames = model.configuration.frameCount(forSampleCount: 4000)
        var mask = [Bool](repeating: false, count: frames)
        mask[3] = true
        let masked = try model(waveform, mask: mask, using: &generator)
        let clean = try model(waveform, using: &generator)
        #expect(masked.encoder.lastHiddenState.maximumDifference(to: clean.encoder.lastHiddenState) > 0)
        #expect(masked.projectedFeatures.maximumDifference(to: clean.projectedFeatures) == 0)
    }
}
