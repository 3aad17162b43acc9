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
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "CCurlShims", dependencies: ["CCurl"]),
        .target(name: "MegaphoneDelivery", dependencies: ["MegaphoneMail", "CCurl", "CCurlShims"], swiftSettings: settings),
        .target(name: "MegaphoneLog", dependencies: ["MegaphoneValue"], swiftSettings: settings),
        .target(
            name: "MegaphoneSend",
            dependencies: ["MegaphoneCampaign", "MegaphoneMail", "MegaphoneDelivery", "MegaphoneLog"],
            swiftSettings: settings
        ),
        .executableTarget(
            name: "megaphone",
            dependencies: ["MegaphoneTemplate", "MegaphoneData", "MegaphoneValue", "MegaphoneMail", "MegaphoneCampaign", "MegaphoneDelivery", "MegaphoneLog", "MegaphoneSend"],
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
        .testTarget(
            name: "MegaphoneDeliveryTests",
            dependencies: ["MegaphoneDelivery", "MegaphoneTestSupport"],
            swiftSettings: settings
        ),
        .testTarget(
            name: "MegaphoneSendTests",
            dependencies: ["MegaphoneSend", "MegaphoneCampaign", "MegaphoneDelivery", "MegaphoneLog", "MegaphoneTestSupport", "megaphone"],
            swiftSettings: settings
        ),
        .testTarget(name: "MegaphoneLogTests", dependencies: ["MegaphoneLog"], swiftSettings: settings),
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
