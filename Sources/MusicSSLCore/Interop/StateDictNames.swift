/// How a state dict names its tensors.
public enum StateDictNaming: String, Sendable {
    /// transformers' `HubertModel` / `Data2VecAudioModel` names, possibly under a wrapper
    /// prefix (`hubert.` in `HubertForCTC`, `data2vec_audio.`, …). MusicSSL uses these names.
    case huggingFace
    /// fairseq's `HubertModel` / `Data2VecAudioModel` names (`post_extract_proj`, `self_attn`, …).
    case fairseq
}

/// What a source tensor name becomes in MusicSSL's (HuggingFace's) naming.
public enum StateDictNameTranslation: Equatable, Sendable {
    /// The name of the encoder parameter it loads into.
    case parameter(String)
    /// A tensor outside the encoder (pre-training or fine-tuning heads, EMA copies), skipped.
    case ignored
}

/// The one table that translates checkpoint tensor names into ``EncoderModel``'s names.
///
/// Sources: transformers' `convert_hubert_original_pytorch_checkpoint_to_pytorch.py` and
/// `convert_data2vec_audio_original_pytorch_checkpoint_to_pytorch.py`, and MERT's
/// `convert_MERT_HF.py` (model-spec §7.3). A name is translated in three steps: wrapper prefixes
/// are stripped, the weight-norm spelling of `torch.nn.utils.parametrizations.weight_norm` is
/// folded onto `weight_g` / `weight_v`, and fairseq names are rewritten by ``fairseqRules``.
public enum StateDictNames {
    /// Prefixes that wrap the bare encoder's names: task heads in transformers
    /// (`HubertForCTC.hubert`, `Data2VecAudioForCTC.data2vec_audio`), MERT's remote code, and
    /// generic wrappers (`model.`, DistributedDataParallel's `module.`).
    public static let wrapperPrefixes = [
        "hubert.", "data2vec_audio.", "mert.", "model.", "module.",
    ]

    /// The new weight-norm spelling (PyTorch ≥ 2.1, transformers ≥ 4.31) and the old one it folds
    /// onto (huggingface/transformers#24030, #26796).
    public static let weightNormSpellings = [
        ("parametrizations.weight.original0", "weight_g"),
        ("parametrizations.weight.original1", "weight_v"),
    ]

    /// Names (after wrapper stripping) of tensors outside the encoder: fairseq's pre-training
    /// heads and EMA teacher, MERT's CQT reconstruction head, transformers' fine-tuning heads.
    public static let ignoredPrefixes = [
        "final_proj.", "label_embs_concat", "_ema", "ema.", "encoder_cqt_model.", "target_glu.",
        "project_q.", "quantizer.", "lm_head.", "projector.", "classifier.", "layer_weights",
    ]

    /// fairseq → HuggingFace rewrites. In a pattern `*` matches one dotted component, which
    /// fills the next `{}` of the replacement; patterns match whole names.
    public static let fairseqRules: [(pattern: String, replacement: String)] = [
        (
            "feature_extractor.conv_layers.*.0.weight",
            "feature_extractor.conv_layers.{}.conv.weight"
        ),
        // Group-norm mode: (conv, dropout, GroupNorm, GELU) in layer 0 only.
        ("feature_extractor.conv_layers.*.2.*", "feature_extractor.conv_layers.{}.layer_norm.{}"),
        // Layer-norm mode: (conv, dropout, Sequential(TransposeLast, LayerNorm, TransposeLast), GELU).
        ("feature_extractor.conv_layers.*.2.1.*", "feature_extractor.conv_layers.{}.layer_norm.{}"),
        ("layer_norm.*", "feature_projection.layer_norm.{}"),
        ("post_extract_proj.*", "feature_projection.projection.{}"),
        ("mask_emb", "masked_spec_embed"),
        // HuBERT: Sequential(weight-normed conv, SamePad, GELU).
        ("encoder.pos_conv.0.*", "encoder.pos_conv_embed.conv.{}"),
        // data2vec: pos_conv_depth × Sequential(conv, SamePad, LayerNorm, GELU).
        ("encoder.pos_conv.*.0.*", "encoder.pos_conv_embed.layers.{}.conv.{}"),
        ("encoder.layer_norm.*", "encoder.layer_norm.{}"),
        ("encoder.layers.*.self_attn.*.*", "encoder.layers.{}.attention.{}.{}"),
        ("encoder.layers.*.self_attn_layer_norm.*", "encoder.layers.{}.layer_norm.{}"),
        ("encoder.layers.*.fc1.*", "encoder.layers.{}.feed_forward.intermediate_dense.{}"),
        ("encoder.layers.*.fc2.*", "encoder.layers.{}.feed_forward.output_dense.{}"),
        ("encoder.layers.*.final_layer_norm.*", "encoder.layers.{}.final_layer_norm.{}"),
    ]

    /// fairseq when any name is one only fairseq uses, HuggingFace otherwise.
    public static func detectNaming(_ names: some Sequence<String>) -> StateDictNaming {
        let fairseqMarks = [
            "post_extract_proj.", "mask_emb", ".self_attn.", ".fc1.", "encoder.pos_conv.",
        ]
        let isFairseq = names.contains { name in
            let bare = stripWrappers(name)
            return fairseqMarks.contains { bare.hasPrefix($0) || bare.contains($0) }
        }
        return isFairseq ? .fairseq : .huggingFace
    }

    /// Translates one source name.
    ///
    /// - Returns: The MusicSSL name, ``StateDictNameTranslation/ignored`` for a known tensor
    ///   outside the encoder, or `nil` for a name the table does not know (a fairseq name no
    ///   rule matches); HuggingFace names pass through unchanged for the loader to check.
    public static func translate(
        _ name: String, from naming: StateDictNaming
    ) -> StateDictNameTranslation? {
        var bare = stripWrappers(name)
        if ignoredPrefixes.contains(where: { bare.hasPrefix($0) }) { return .ignored }
        for (new, old) in weightNormSpellings where bare.hasSuffix("." + new) {
            bare = String(bare.dropLast(new.count)) + old
        }
        switch naming {
        case .huggingFace:
            return .parameter(bare)
        case .fairseq:
            for (pattern, replacement) in fairseqRules {
                if let renamed = rewrite(bare, pattern: pattern, replacement: replacement) {
                    return .parameter(renamed)
                }
            }
            return nil
        }
    }

    /// `name` without any leading wrapper prefixes.
    static func stripWrappers(_ name: String) -> String {
        var bare = Substring(name)
        while let prefix = wrapperPrefixes.first(where: { bare.hasPrefix($0) }) {
            bare = bare.dropFirst(prefix.count)
        }
        return String(bare)
    }

    /// `replacement` filled with the components `*` matched, or nil if `name` does not match.
    static func rewrite(_ name: String, pattern: String, replacement: String) -> String? {
        let parts = name.split(separator: ".", omittingEmptySubsequences: false)
        let patternParts = pattern.split(separator: ".")
        guard parts.count == patternParts.count else { return nil }
        var captures: [Substring] = []
        for (part, expected) in zip(parts, patternParts) {
            if expected == "*" {
                guard !part.isEmpty else { return nil }
                captures.append(part)
            } else if part != expected {
                return nil
            }
        }
        var result = ""
        var remaining = captures[...]
        var rest = Substring(replacement)
        while let range = rest.range(of: "{}") {
            result += rest[..<range.lowerBound]
            result += remaining.popFirst() ?? ""
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
