extension EncoderConfiguration {
    /// Maps a fairseq checkpoint's `cfg` (the whole `cfg` with `model` and `task` sections, or
    /// just `cfg["model"]`) of a HuBERT, data2vec-audio or MERT model.
    ///
    /// Defaults are fairseq's `HubertConfig` / `Data2VecAudioConfig` values. data2vec's stacked
    /// positional convolutions have `pos_conv_depth` layers of kernel `max(3, conv_pos / depth)`,
    /// as fairseq's `make_conv_block` builds them.
    ///
    /// - Parameters:
    ///   - fairseqConfig: The decoded `cfg` dictionary.
    ///   - source: Named in errors.
    /// - Throws: ``EncoderCheckpointError`` for a mistyped value or an unsupported setting
    ///   (`conv_bias`, a non-GELU activation, an unparsable `conv_feature_layers`).
    public init(fairseqConfig: [String: Any], source: String = "cfg") throws {
        let model = ConfigurationDictionary(
            values: (fairseqConfig["model"] as? [String: Any]) ?? fairseqConfig,
            source: source + "[model]")
        let task = ConfigurationDictionary(
            values: (fairseqConfig["task"] as? [String: Any]) ?? [:], source: source + "[task]")
        try model.require(
            "conv_bias", equals: false, because: "MusicSSL's convolutions have no bias")
        try model.require(
            "activation_fn", equals: "gelu", because: "MusicSSL's feed-forward uses exact GELU")
        let layers = try FairseqConvolutionLayers.parse(
            try model.string(
                "conv_feature_layers", default: "[(512,10,5)] + [(512,3,2)] * 4 + [(512,2,2)] * 2"),
            source: model.source)
        let mode = try model.string("extractor_mode", default: "default")
        let normalization: FeatureExtractorNormalization
        switch mode {
        case "default": normalization = .groupNormFirstLayer
        case "layer_norm": normalization = .layerNormEveryLayer
        default:
            throw model.invalid("extractor_mode", "'\(mode)' is neither 'default' nor 'layer_norm'")
        }
        let kernel = try model.integer("conv_pos", default: 128)
        let groups = try model.integer("conv_pos_groups", default: 16)
        let depth = try model.integer("pos_conv_depth", default: 1)
        let positional: PositionalConvolutionShape =
            depth > 1
            ? .stacked(layerCount: depth, kernelSize: max(3, kernel / depth), groupCount: groups)
            : .weightNormalized(kernelSize: kernel, groupCount: groups)
        self.init(
            sampleRate: try task.integer(
                "sample_rate", default: try model.integer("sample_rate", default: 16_000)),
            convolutionLayers: layers, featureExtractorNormalization: normalization,
            modelDimensions: try model.integer("encoder_embed_dim", default: 768),
            layerCount: try model.integer("encoder_layers", default: 12),
            headCount: try model.integer("encoder_attention_heads", default: 12),
            feedForwardDimensions: try model.integer("encoder_ffn_embed_dim", default: 3072),
            placement: try model.boolean("layer_norm_first", default: false) ? .preNorm : .postNorm,
            positionalConvolution: positional,
            dropoutProbability: try model.float("dropout", default: 0.1),
            attentionDropoutProbability: try model.float("attention_dropout", default: 0.1),
            activationDropoutProbability: try model.float("activation_dropout", default: 0),
            inputDropoutProbability: try model.float("dropout_input", default: 0),
            layerDropProbability: try model.float("encoder_layerdrop", default: 0),
            layerNormEpsilon: 1e-5)
        try validate(source: model.source)
    }
}

/// Parser for fairseq's `conv_feature_layers` string, e.g.
/// `[(512,10,5)] + [(512,3,2)] * 4 + [(512,2,2)] * 2`.
///
/// fairseq `eval`s this string; MusicSSL parses only this grammar and never evaluates anything:
/// `list ('*' count)? ('+' list ('*' count)?)*`, where a list holds `(channels, kernel, stride)`
/// integer triples.
enum FairseqConvolutionLayers {
    /// Largest total number of layers accepted, so a hostile string cannot exhaust memory.
    static let maximumLayerCount = 64

    static func parse(_ text: String, source: String) throws -> [ConvolutionLayerShape] {
        var scanner = Scanner(characters: Array(text.unicodeScalars))
        func fail(_ reason: String) -> EncoderCheckpointError {
            .invalidConfiguration(
                source: source, key: "conv_feature_layers",
                reason: "\(reason) at offset \(scanner.position) of '\(text)'")
        }
        var layers: [ConvolutionLayerShape] = []
        repeat {
            try scanner.expect("[") ?? { throw fail("expected '['") }()
            var group: [ConvolutionLayerShape] = []
            repeat {
                if scanner.peek("]") { break }
                try scanner.expect("(") ?? { throw fail("expected '('") }()
                var values: [Int] = []
                for index in 0..<3 {
                    if index > 0 { try scanner.expect(",") ?? { throw fail("expected ','") }() }
                    values.append(try scanner.integer() ?? { throw fail("expected an integer") }())
                }
                try scanner.expect(")") ?? { throw fail("expected ')' after three integers") }()
                guard values.allSatisfy({ $0 > 0 }) else {
                    throw fail("channels, kernel and stride must be positive")
                }
                group.append(
                    ConvolutionLayerShape(
                        channels: values[0], kernelSize: values[1], stride: values[2]))
            } while scanner.expect(",") != nil
            try scanner.expect("]") ?? { throw fail("expected ']'") }()
            var repeats = 1
            if scanner.expect("*") != nil {
                repeats = try scanner.integer() ?? { throw fail("expected a repeat count") }()
            }
            guard repeats >= 0, layers.count + group.count * repeats <= maximumLayerCount else {
                throw fail("more than \(maximumLayerCount) layers")
            }
            for _ in 0..<repeats { layers += group }
        } while scanner.expect("+") != nil
        guard scanner.atEnd else { throw fail("unexpected text") }
        guard !layers.isEmpty else { throw fail("no layers") }
        return layers
    }

    /// A cursor over the string that skips whitespace before every token.
    private struct Scanner {
        let characters: [Unicode.Scalar]
        var position = 0

        mutating func skipSpace() {
            while position < characters.count, characters[position].properties.isWhitespace {
                position += 1
            }
        }

        mutating func peek(_ token: Unicode.Scalar) -> Bool {
            skipSpace()
            return position < characters.count && characters[position] == token
        }

        /// Consumes `token`; nil if it is not next.
        mutating func expect(_ token: Unicode.Scalar) -> Void? {
            guard peek(token) else { return nil }
            position += 1
            return ()
        }

        /// A non-negative decimal integer of at most 9 digits; nil if none is next.
        mutating func integer() -> Int? {
            skipSpace()
            var digits = ""
            while position < characters.count, ("0"..."9").contains(characters[position]),
                digits.count < 9
            {
                digits.unicodeScalars.append(characters[position])
                position += 1
            }
            return Int(digits)
        }

        var atEnd: Bool {
            mutating get {
                skipSpace()
                return position == characters.count
            }
        }
    }
}
