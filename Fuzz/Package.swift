// swift-tools-version: 6.0
// libFuzzer targets for every parser of untrusted files in MusicSSL (Fuzz/README.md).
// A package of its own, so the main package's `swift build` and `swift test` never compile
// fuzz code. Build it only with the fuzzer and address sanitizers:
//
//     swift build -c release --sanitize=fuzzer --sanitize=address -Xswiftc -sanitize=fuzzer,address
//
// (the -Xswiftc flag matters: without it the Swift code gets no coverage instrumentation)
//
// and run it through `make fuzz` / `make fuzz-smoke` in the main Makefile.

import PackageDescription

let package = Package(
    name: "MusicSSLFuzz",
    platforms: [.macOS(.v14)],
    products: [.executable(name: "msl-fuzz", targets: ["msl-fuzz"])],
    dependencies: [
        .package(name: "MusicSSL", path: "..")
    ],
    targets: [
        .executableTarget(
            name: "msl-fuzz",
            dependencies: [
                .product(name: "MusicSSLCore", package: "MusicSSL"),
                .product(name: "MusicSSLTrain", package: "MusicSSL"),
                .product(name: "MusicSSLProbe", package: "MusicSSL"),
            ],
            swiftSettings: [.swiftLanguageMode(.v5)])
    ]
)
