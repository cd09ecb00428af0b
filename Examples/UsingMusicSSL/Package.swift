// swift-tools-version: 6.0
// A package of one's own that uses MusicSSL as a dependency (README, "Using MusicSSL as a
// dependency"). Here the dependency is this checkout, two folders up; elsewhere use
// `.package(url: "<git URL of MusicSSL>", branch: "main")` or `.package(path: "../MusicSSL")`.

import PackageDescription

let package = Package(
    name: "UsingMusicSSL",
    platforms: [.macOS(.v14)],
    products: [.executable(name: "clip-embedding", targets: ["ClipEmbedding"])],
    dependencies: [
        .package(name: "MusicSSL", path: "../..")
    ],
    targets: [
        .executableTarget(
            name: "ClipEmbedding",
            dependencies: [.product(name: "MusicSSLCore", package: "MusicSSL")])
    ]
)
