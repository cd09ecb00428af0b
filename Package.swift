// swift-tools-version: 6.0
// MusicSSL: self-supervised pre-training (MusicHuBERT, Music2vec) and probing on music audio.

import PackageDescription

/// Release builds compile our own kernels for x86-64-v3 (AVX2 + FMA); debug builds stay portable.
let kernelFlags: [SwiftSetting] = [
    .unsafeFlags(["-Xcc", "-march=x86-64-v3"], .when(platforms: [.linux], configuration: .release)),
    .swiftLanguageMode(.v5),
]

let package = Package(
    name: "MusicSSL",
    platforms: [.macOS(.v14)],
    // MARK: - Public API
    products: [
        .library(name: "MusicSSLCore", targets: ["MusicSSLCore"]),
        .library(name: "MusicSSLTrain", targets: ["MusicSSLTrain"]),
        .library(name: "MusicSSLProbe", targets: ["MusicSSLProbe"]),
        .executable(name: "msl", targets: ["msl"]),
        .executable(name: "msl-bench", targets: ["MusicSSLBenchmarks"]),
        .executable(name: "encoder-features", targets: ["EncoderFeatures"]),
        .executable(name: "custom-objective", targets: ["CustomObjective"]),
        .executable(name: "probe-checkpoint", targets: ["ProbeCheckpoint"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.0.0"),
        // `make docs` only: the `generate-documentation` command plugin (no library is linked).
        .package(url: "https://github.com/swiftlang/swift-docc-plugin", from: "1.4.0"),
    ],
    targets: [
        // MARK: - System libraries (C shims, no stable Swift API)
        .systemLibrary(
            name: "CBLAS", path: "Sources/CBLAS", providers: [.apt(["libopenblas-dev"])]),
        .systemLibrary(
            name: "CFFTW", path: "Sources/CFFTW", pkgConfig: "fftw3f",
            providers: [.apt(["libfftw3-dev"])]),
        .systemLibrary(
            name: "CSndFile", path: "Sources/CSndFile", pkgConfig: "sndfile",
            providers: [.apt(["libsndfile1-dev"])]),
        .systemLibrary(
            name: "CSampleRate", path: "Sources/CSampleRate", pkgConfig: "samplerate",
            providers: [.apt(["libsamplerate0-dev"])]),
        .systemLibrary(
            name: "CCrypto", path: "Sources/CCrypto", pkgConfig: "libcrypto",
            providers: [.apt(["libssl-dev"])]),
        .systemLibrary(
            name: "CMPI", path: "Sources/CMPI", pkgConfig: "ompi-c",
            providers: [.apt(["libopenmpi-dev"])]),

        // MARK: - Libraries
        .target(
            name: "MusicSSLCore",
            dependencies: ["CBLAS", "CFFTW", "CSndFile", "CSampleRate"],
            swiftSettings: kernelFlags),
        .target(
            name: "MusicSSLTrain",
            dependencies: ["MusicSSLCore", "CBLAS", "CMPI", .product(name: "Yams", package: "Yams")],
            swiftSettings: kernelFlags),
        .target(
            name: "MusicSSLProbe",
            dependencies: ["MusicSSLCore", "MusicSSLTrain", "CCrypto"],
            swiftSettings: kernelFlags),

        // MARK: - Executables
        .executableTarget(
            name: "msl",
            dependencies: [
                "MusicSSLCore", "MusicSSLTrain", "MusicSSLProbe",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: kernelFlags),
        .executableTarget(
            name: "MusicSSLBenchmarks",
            dependencies: ["MusicSSLCore", "MusicSSLTrain", "MusicSSLProbe", "CBLAS"],
            path: "Sources/MusicSSLBenchmarks",
            swiftSettings: kernelFlags),

        // MARK: - Examples (built with the package, so CI compiles them)
        .executableTarget(
            name: "EncoderFeatures",
            dependencies: ["MusicSSLCore"],
            path: "Examples/EncoderFeatures",
            swiftSettings: kernelFlags),
        .executableTarget(
            name: "CustomObjective",
            dependencies: ["MusicSSLCore", "MusicSSLTrain"],
            path: "Examples/CustomObjective",
            swiftSettings: kernelFlags),

        .executableTarget(
            name: "ProbeCheckpoint",
            dependencies: ["MusicSSLCore", "MusicSSLProbe"],
            path: "Examples/ProbeCheckpoint",
            swiftSettings: kernelFlags),

        // MARK: - Tests
        .target(
            name: "MusicSSLTestSupport",
            dependencies: ["MusicSSLCore"],
            swiftSettings: kernelFlags),
        .testTarget(
            name: "MusicSSLCoreTests",
            dependencies: ["MusicSSLCore", "MusicSSLTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: kernelFlags),
        // The command line's own logic (output planning, progress), through @testable import.
        .testTarget(
            name: "MSLTests",
            dependencies: ["msl", "MusicSSLTestSupport"],
            swiftSettings: kernelFlags),
        .testTarget(
            name: "MusicSSLTrainTests",
            dependencies: ["MusicSSLTrain", "MusicSSLTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: kernelFlags),
        .testTarget(
            name: "MusicSSLProbeTests",
            dependencies: ["MusicSSLProbe", "MusicSSLTestSupport"],
            resources: [.copy("Fixtures")],
            swiftSettings: kernelFlags),
    ]
)
