/// Whether operations record themselves for backward.
///
/// Recording is on by default; ``noGrad(_:)`` turns it off for a scope (inference, EMA teachers,
/// frozen probe features), which saves both time and the memory of saved activations.
public enum GradientMode {
    /// True while ops record pullbacks. Scoped per task and thread.
    @TaskLocal public static var isEnabled = true
}

/// Runs `body` without recording any operation for backward.
///
/// ```swift
/// let features = try noGrad { try encoder(frames) }
/// ```
public func noGrad<R>(_ body: () throws -> R) rethrows -> R {
    try GradientMode.$isEnabled.withValue(false, operation: body)
}
