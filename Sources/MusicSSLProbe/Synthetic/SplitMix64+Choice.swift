import MusicSSLCore

extension SplitMix64 {
    /// A uniformly drawn element of `elements`, which must not be empty.
    mutating func choice<Element>(_ elements: [Element]) -> Element {
        elements[Int.random(in: elements.indices, using: &self)]
    }
}
