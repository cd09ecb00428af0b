/// An error raised by an optimizer, a gradient utility or a learning-rate schedule.
public enum OptimizationError: Error, CustomStringConvertible, Equatable {
    /// A hyper-parameter outside its valid range: the component, and a sentence naming the value.
    case invalidArgument(component: String, message: String)
    /// Saved optimizer state that does not fit the parameters: the state key and what was wrong.
    case stateMismatch(key: String, message: String)

    public var description: String {
        switch self {
        case .invalidArgument(let component, let message):
            return "[\(component)] \(message)"
        case .stateMismatch(let key, let message):
            return "[optimizer state] '\(key)': \(message)"
        }
    }
}
