/// The pre-training configurations `msl demo` writes into its folder: the tiny presets of
/// Examples/configs (4 Transformer layers of width 256, 256 convolution channels), with the
/// number of updates and the warm-up scaled to the demo's budget.
enum DemoConfigurations {
    /// MusicHuBERT on k-means labels of MFCC-39 (K = `clusters`).
    static func musicHuBERT(steps: Int, clusters: Int, seed: UInt64) -> String {
        """
        # msl demo: tiny MusicHuBERT (iteration 1, k-means of MFCC-39).
        objective: musichubert
        model:
          architecture: tiny
        data:
          crop_seconds: 2
          batch_size: 4
        masking:
          probability: 0.8
          span_length: 10
        hubert:
          clusters: \(clusters)
          mfcc_dimensions: 39
          iteration_layer: 3
          final_dimensions: 64
        optimization:
          steps: \(steps)
          learning_rate: 0.0005
          schedule: polynomial
          warmup_steps: \(max(1, steps / 10))
          clip_norm: 10
        run:
          seed: \(seed)
          checkpoint_every: \(max(1, steps / 4))
          keep_checkpoints: 1
          log_every: \(max(1, steps / 20))

        """
    }

    /// Music2vec: regression of the EMA teacher's top-3 layers.
    static func music2vec(steps: Int, seed: UInt64) -> String {
        """
        # msl demo: tiny Music2vec (EMA teacher, top-3 layer targets).
        objective: music2vec
        model:
          architecture: tiny
        data:
          crop_seconds: 2
          batch_size: 4
        masking:
          probability: 0.65
          span_length: 10
        data2vec:
          target_layers: 3
          ema_anneal_steps: \(steps)
        optimization:
          steps: \(steps)
          learning_rate: 0.0005
          schedule: tri_stage
        run:
          seed: \(seed)
          checkpoint_every: \(max(1, steps / 4))
          keep_checkpoints: 1
          log_every: \(max(1, steps / 20))

        """
    }
}
