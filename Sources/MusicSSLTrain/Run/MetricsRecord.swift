import Foundation

/// One line of a run's metrics log: what the trainer measured at one logged step.
///
/// Stored as one flat JSON object, fixed fields first and the free-form values after them in
/// key order:
/// `{"step":100,"loss":6.2,"learning_rate":0.0005,"samples_per_second":31.5,"time":1718000000.5,"masked_accuracy":0.12}`.
/// Non-finite numbers are written as the strings `"NaN"`, `"Infinity"` and `"-Infinity"`
/// (JSON has no literal for them; Python's `float()` reads these spellings).
public struct MetricsRecord: Equatable, Sendable {
    /// The JSON keys of the fixed fields, which free-form values may not use.
    public static let reservedKeys: Set<String> = [
        "step", "loss", "learning_rate", "samples_per_second", "time",
    ]

    /// The optimizer step the values were measured at.
    public var step: Int
    /// The training loss (the weighted sum of the objective terms).
    public var loss: Double
    /// The learning rate the step used.
    public var learningRate: Double
    /// Training throughput in audio clips (crops) per second.
    public var samplesPerSecond: Double
    /// Wall-clock time of the measurement, seconds since 1970; nil when not recorded.
    public var time: Double?
    /// Further named measurements, e.g. `masked_accuracy`, `target_variance`,
    /// `prediction_variance`, `gradient_norm`.
    public var values: [String: Double]

    /// A record of `step`.
    public init(
        step: Int, loss: Double, learningRate: Double, samplesPerSecond: Double,
        time: Double? = nil, values: [String: Double] = [:]
    ) {
        self.step = step
        self.loss = loss
        self.learningRate = learningRate
        self.samplesPerSecond = samplesPerSecond
        self.time = time
        self.values = values
    }

    /// The value stored under the JSON key `key`: a fixed field (`loss`, `learning_rate`,
    /// `samples_per_second`, `time`, `step`) or a free-form value; nil when absent.
    public func value(forKey key: String) -> Double? {
        switch key {
        case "step": Double(step)
        case "loss": loss
        case "learning_rate": learningRate
        case "samples_per_second": samplesPerSecond
        case "time": time
        default: values[key]
        }
    }

    /// The record as one line of JSON, without the newline.
    ///
    /// - Throws: ``MetricsLogError`` when a free-form value uses a reserved key or an empty one.
    public func jsonLine() throws -> String {
        var members = [
            "\"step\":\(step)", "\"loss\":\(Self.number(loss))",
            "\"learning_rate\":\(Self.number(learningRate))",
            "\"samples_per_second\":\(Self.number(samplesPerSecond))",
        ]
        if let time { members.append("\"time\":\(Self.number(time))") }
        for (key, value) in values.sorted(by: { $0.key < $1.key }) {
            guard !key.isEmpty, !Self.reservedKeys.contains(key) else {
                throw MetricsLogError(
                    path: nil,
                    .invalidRecord(
                        "step \(step): the value name '\(key)' is empty or reserved "
                            + "(\(Self.reservedKeys.sorted().joined(separator: ", ")))"))
            }
            members.append("\(Self.quoted(key)):\(Self.number(value))")
        }
        return "{" + members.joined(separator: ",") + "}"
    }

    /// Parses one line written by ``jsonLine()`` (or any flat JSON object of numbers with
    /// `step` and `loss`; missing `learning_rate` and `samples_per_second` read as NaN).
    ///
    /// Numbers read back to the very Doubles that were written.
    ///
    /// - Returns: nil when the line is not such an object (the caller names the line).
    public static func parse(jsonLine line: String) -> MetricsRecord? {
        // JSONDecoder, not JSONSerialization: the latter rounds some Doubles on Linux.
        guard
            let object = try? JSONDecoder().decode(
                [String: JSONNumber].self, from: Data(line.utf8)),
            let stepValue = object["step"]?.value, stepValue.rounded() == stepValue,
            abs(stepValue) < 9e15,
            let loss = object["loss"]?.value
        else { return nil }
        var values: [String: Double] = [:]
        for (key, number) in object where !reservedKeys.contains(key) {
            values[key] = number.value
        }
        return MetricsRecord(
            step: Int(stepValue), loss: loss,
            learningRate: object["learning_rate"]?.value ?? .nan,
            samplesPerSecond: object["samples_per_second"]?.value ?? .nan,
            time: object["time"]?.value, values: values)
    }

    /// `value` in JSON: the shortest text that reads back to the same Double, or a quoted
    /// spelling for NaN and the infinities.
    private static func number(_ value: Double) -> String {
        if value.isNaN { return "\"NaN\"" }
        if value.isInfinite { return value > 0 ? "\"Infinity\"" : "\"-Infinity\"" }
        return "\(value)"
    }

    private static func quoted(_ key: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [key], options: [])) ?? Data()
        let array = String(decoding: data, as: UTF8.self)
        return String(array.dropFirst().dropLast())
    }
}

/// A JSON number, or one of the strings ``MetricsRecord`` writes for non-finite values.
private struct JSONNumber: Decodable {
    let value: Double

    init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let number = try? container.decode(Double.self) {
            value = number
            return
        }
        switch try container.decode(String.self) {
        case "NaN": value = .nan
        case "Infinity": value = .infinity
        case "-Infinity": value = -.infinity
        case let other:
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(other)' is not a number")
        }
    }
}
