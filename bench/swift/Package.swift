// swift-tools-version: 6.0
// Benchmark-only package: Megaphone's template engine (its sources, linked in)
// against hummingbird-project/swift-mustache and Stencil. The product itself
// stays toolchain-only; nothing here is part of it.
import PackageDescription

let package = Package(
    name: "MegaphoneBench",
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/stencilproject/Stencil", from: "0.15.1"),
    ],
    targets: [
        .target(name: "MegaphoneValue"),
        .target(name: "MegaphoneTemplate", dependencies: ["MegaphoneValue"]),
        .executableTarget(
            name: "render-bench",
            dependencies: [
                "MegaphoneTemplate", "MegaphoneValue",
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "Stencil", package: "Stencil"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)
