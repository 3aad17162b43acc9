// swift-tools-version: 6.0
// Megaphone: a protest-letter and press-release mail-merge engine.
// Third-party packages: Hummingbird 2 (the web front door), GRDB 7 (the signature store), swift-log,
// swift-crypto (SHA-256, HMAC, random tokens), swift-argument-parser (the command line).
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
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-extras", from: "1.35.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
    ],
    targets: [
        .target(name: "MegaphoneValue", swiftSettings: settings),
        .target(name: "MegaphoneData", dependencies: ["MegaphoneValue"], swiftSettings: settings),
        .target(name: "MegaphoneTemplate", dependencies: ["MegaphoneValue"], swiftSettings: settings),
        // Files written whole and durably, and the names of the files beside a campaign.
        .target(name: "MegaphoneFiles", swiftSettings: settings),
        // SHA-256 and random bytes as text, for every module.
        .target(name: "MegaphoneDigest", dependencies: [.product(name: "Crypto", package: "swift-crypto")], swiftSettings: settings),
        .target(name: "MegaphoneMail", dependencies: ["MegaphoneDigest"], swiftSettings: settings),
        // The addresses a campaign no longer writes to (NAME.suppressed.txt), one address key.
        .target(name: "MegaphoneSuppression", dependencies: ["MegaphoneFiles", "MegaphoneMail"], swiftSettings: settings),
        // A campaign's secret on disk and the VERP and unsubscribe tokens keyed with it.
        .target(
            name: "MegaphoneTokens",
            dependencies: ["MegaphoneFiles", "MegaphoneMail", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: settings
        ),
        .target(
            name: "MegaphoneCampaign",
            dependencies: [
                "MegaphoneSuppression", "MegaphoneTokens", "MegaphoneFiles",
                "MegaphoneValue", "MegaphoneData", "MegaphoneTemplate", "MegaphoneMail", "MegaphoneSignatures",
            ],
            swiftSettings: settings
        ),
        .systemLibrary(name: "CCurl", pkgConfig: "libcurl", providers: [.apt(["libcurl4-openssl-dev"])]),
        .target(name: "CCurlShims", dependencies: ["CCurl"]),
        .target(name: "MegaphoneDelivery", dependencies: ["MegaphoneDigest", "MegaphoneFiles", "MegaphoneMail", "CCurl", "CCurlShims"], swiftSettings: settings),
        .target(name: "MegaphoneLog", dependencies: ["MegaphoneFiles", "MegaphoneValue"], swiftSettings: settings),
        // The one delivery engine: journaled hand-over, the "already settled" rule, retries.
        .target(
            name: "MegaphoneOutbox",
            dependencies: ["MegaphoneDigest", "MegaphoneDelivery", "MegaphoneLog", "MegaphoneMail"],
            swiftSettings: settings
        ),
        // The server's signer mail: a service feeding the outbox from the store's queue.
        .target(
            name: "MegaphoneSignerMail",
            dependencies: ["MegaphoneSuppression", "MegaphoneTokens", "MegaphoneFiles", "MegaphoneDigest", 
                "MegaphoneOutbox", "MegaphoneCampaign", "MegaphoneSignatures", "MegaphoneLog", "MegaphoneDelivery", "MegaphoneMail",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: settings
        ),
        .target(
            name: "MegaphoneSend",
            dependencies: ["MegaphoneSuppression", "MegaphoneFiles", "MegaphoneCampaign", "MegaphoneMail", "MegaphoneDelivery", "MegaphoneLog", "MegaphoneOutbox"],
            swiftSettings: settings
        ),
        .target(
            name: "MegaphoneBounces",
            dependencies: ["MegaphoneSuppression", "MegaphoneTokens", "MegaphoneFiles", "MegaphoneDigest", "MegaphoneCampaign", "MegaphoneLog", "MegaphoneDelivery", "MegaphoneMail", "MegaphoneValue"],
            swiftSettings: settings
        ),
        .target(
            name: "MegaphoneSignatures",
            dependencies: ["MegaphoneDigest", 
                "MegaphoneValue", "MegaphoneData", "MegaphoneMail",
                .product(name: "GRDB", package: "GRDB.swift"),
            ],
            swiftSettings: settings
        ),
        .target(
            name: "MegaphoneWeb",
            dependencies: ["MegaphoneSuppression", "MegaphoneTokens", "MegaphoneDigest", 
                "MegaphoneValue", "MegaphoneTemplate", "MegaphoneMail", "MegaphoneCampaign", "MegaphoneSignatures", "MegaphoneSignerMail",
                "MegaphoneOutbox", "MegaphoneLog",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOHTTPTypes", package: "swift-nio-extras"),
                .product(name: "NIOHTTPTypesHTTP1", package: "swift-nio-extras"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            resources: [.copy("Pages")],
            swiftSettings: settings
        ),
        .executableTarget(
            name: "megaphone",
            dependencies: ["MegaphoneSuppression", "MegaphoneFiles", 
                "MegaphoneTemplate", "MegaphoneData", "MegaphoneValue", "MegaphoneMail", "MegaphoneCampaign", "MegaphoneDelivery",
                "MegaphoneLog", "MegaphoneSend", "MegaphoneSignatures", "MegaphoneWeb", "MegaphoneBounces",
                "MegaphoneOutbox", "MegaphoneSignerMail",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: settings
        ),
        // The benchmark's store ceiling (make bench): the store alone, same durability as serve.
        .executableTarget(name: "store-bench", dependencies: ["MegaphoneSignatures"], path: "bench/store-bench", swiftSettings: settings),
        .testTarget(
            name: "MegaphoneTemplateTests",
            dependencies: ["MegaphoneTemplate", "MegaphoneValue"],
            swiftSettings: settings
        ),
        .testTarget(name: "MegaphoneDigestTests", dependencies: ["MegaphoneDigest", .product(name: "Crypto", package: "swift-crypto")], swiftSettings: settings),
        .testTarget(name: "MegaphoneValueTests", dependencies: ["MegaphoneValue"], swiftSettings: settings),
        .testTarget(
            name: "MegaphoneMailTests",
            dependencies: ["MegaphoneMail", "MegaphoneDigest", "MegaphoneTestSupport"],
            swiftSettings: settings
        ),
        .testTarget(
            name: "MegaphoneCampaignTests",
            dependencies: ["MegaphoneCampaign", "MegaphoneMail", "MegaphoneSignatures", "MegaphoneSuppression", "MegaphoneTestSupport"],
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
        .testTarget(
            name: "MegaphoneBouncesTests",
            dependencies: ["MegaphoneBounces", "MegaphoneCampaign", "MegaphoneLog", "MegaphoneDelivery", "MegaphoneTestSupport", "megaphone"],
            swiftSettings: settings
        ),
        .testTarget(name: "MegaphoneLogTests", dependencies: ["MegaphoneLog"], swiftSettings: settings),
        .testTarget(
            name: "MegaphoneSignaturesTests",
            dependencies: ["MegaphoneSignatures", "MegaphoneValue", .product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: settings
        ),
        .testTarget(
            name: "MegaphoneWebTests",
            dependencies: [
                "MegaphoneWeb", "MegaphoneSignatures", "MegaphoneCampaign", "MegaphoneSend", "MegaphoneDelivery", "MegaphoneTestSupport", "megaphone",
                "MegaphoneSignerMail", "MegaphoneOutbox",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ],
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
