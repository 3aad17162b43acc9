// swift-tools-version: 6.0
// Megaphone: a protest-letter and press-release mail-merge engine.
// Toolchain only: no third-party Swift packages (see README).
import PackageDescription

let settings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Megaphone",
    products: [
        .executable(name: "megaphone", targets: ["megaphone"]),
        .library(name: "MegaphoneTemplate", targets: ["MegaphoneTemplate", "MegaphoneValue"]),
    ],
    targets: [
        .target(name: "MegaphoneValue", swiftSettings: settings),
        .target(name: "MegaphoneData", dependencies: ["MegaphoneValue"], swiftSettings: settings),
        .target(name: "MegaphoneTemplate", dependencies: ["MegaphoneValue"], swiftSettings: settings),
        .target(name: "MegaphoneMail", swiftSettings: settings),
        .target(
            name: "MegaphoneCampaign",
            dependencies: ["MegaphoneValue", "MegaphoneData", "MegaphoneTemplate", "MegaphoneMail"],
            swiftSettings: settings
        ),
        .target(name: "MegaphoneDelivery", dependencies: ["MegaphoneMail"], swiftSettings: settings),
        .executableTarget(
            name: "megaphone",
            dependencies: ["MegaphoneTemplate", "MegaphoneData", "MegaphoneValue", "MegaphoneMail", "MegaphoneCampaign", "MegaphoneDelivery"],
            swiftSettings: settings
        ),
        .testTarget(
            name: "MegaphoneTemplateTests",
            dependencies: ["MegaphoneTemplate", "MegaphoneValue"],
            swiftSettings: settings
        ),
        .testTarget(name: "MegaphoneValueTests", dependencies: ["MegaphoneValue"], swiftSettings: settings),
        .testTarget(name: "MegaphoneMailTests", dependencies: ["MegaphoneMail", "MegaphoneTestSupport"], swiftSettings: settings),
        .testTarget(
            name: "MegaphoneCampaignTests",
            dependencies: ["MegaphoneCampaign", "MegaphoneMail", "MegaphoneTestSupport"],
            swiftSettings: settings
        ),
        .testTarget(name: "MegaphoneDataTests", dependencies: ["MegaphoneData", "MegaphoneValue"], swiftSettings: settings),
        .target(name: "MegaphoneTestSupport", path: "Tests/MegaphoneTestSupport", swiftSettings: settings),
        .testTarget(
            name: "MegaphoneCLITests",
            dependencies: ["megaphone", "MegaphoneTestSupport"],
            swiftSettings: settings
        ),
    ],
    swiftLanguageModes: [.v6]
)
