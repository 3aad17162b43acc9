import Foundation
import MegaphoneTemplate
import MegaphoneValue
import Testing

/// One test case of the official Mustache spec, named by file and index.
struct SpecCase: Sendable, CustomTestStringConvertible {
    let file: String
    let index: Int
    let name: String
    let template: String
    let data: Value
    let partials: [String: String]
    let expected: String

    var testDescription: String { "\(file) #\(index): \(name)" }
}

/// Loads the spec's JSON files from `../shared/mustache-spec`, beside the package.
enum SpecLoader {
    static let files = [
        "comments.json", "delimiters.json", "interpolation.json", "inverted.json", "partials.json",
        "sections.json", "~lambdas.json", "~inheritance.json", "~dynamic-names.json",
    ]

    static var directory: URL {
        if let override = ProcessInfo.processInfo.environment["MEGAPHONE_SPEC_DIR"] {
            return URL(fileURLWithPath: override)
        }
        return URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("shared/mustache-spec")
    }

    private struct SpecFile: Decodable {
        let tests: [RawCase]
    }

    private struct RawCase: Decodable {
        let name: String
        let template: String
        let data: Value
        let partials: [String: String]?
        let expected: String
    }

    /// Every case, or a single failing placeholder per unreadable file so the
    /// suite fails loudly instead of running nothing.
    static let all: [SpecCase] = {
        var cases: [SpecCase] = []
        for file in files {
            let url = directory.appendingPathComponent(file)
            guard let data = try? Data(contentsOf: url), let spec = try? JSONDecoder().decode(SpecFile.self, from: data) else {
                cases.append(SpecCase(file: file, index: -1, name: "missing or unreadable: \(url.path)",
                                      template: "", data: .null, partials: [:], expected: "<spec file missing>"))
                continue
            }
            for (index, test) in spec.tests.enumerated() {
                let data = file == "~lambdas.json" ? SpecLambdas.install(test.name, into: test.data) : test.data
                cases.append(SpecCase(file: file, index: index, name: test.name, template: test.template,
                                      data: data, partials: test.partials ?? [:], expected: test.expected))
            }
        }
        return cases
    }()
}

/// The spec's lambdas, written as Swift closures (the JSON carries them only in other languages).
enum SpecLambdas {
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var value = 0
        func next() -> Int {
            lock.lock()
            defer { lock.unlock() }
            value += 1
            return value
        }
    }

    static func lambda(for test: String) -> Lambda? {
        switch test {
        case "Interpolation": Lambda { _ in "world" }
        case "Interpolation - Expansion": Lambda { _ in "{{planet}}" }
        case "Interpolation - Alternate Delimiters": Lambda { _ in "|planet| => {{planet}}" }
        case "Interpolation - Multiple Calls":
            { let counter = Counter(); return Lambda { _ in .int(counter.next()) } }()
        case "Escaping": Lambda { _ in ">" }
        case "Section": Lambda { text in text == "{{x}}" ? "yes" : "no" }
        case "Section - Expansion": Lambda { text in .string("\(text ?? ""){{planet}}\(text ?? "")") }
        case "Section - Alternate Delimiters": Lambda { text in .string("\(text ?? ""){{planet}} => |planet|\(text ?? "")") }
        case "Section - Multiple Calls": Lambda { text in .string("__\(text ?? "")__") }
        case "Inverted Section": Lambda { _ in false }
        default: nil
        }
    }

    static func install(_ test: String, into data: Value) -> Value {
        guard case .object(var members) = data, let lambda = lambda(for: test) else { return data }
        members["lambda"] = .lambda(lambda)
        return .object(members)
    }
}

@Suite struct MustacheSpecTests {
    @Test func everySpecFileLoads() {
        let missing = SpecLoader.all.filter { $0.index < 0 }
        #expect(missing.isEmpty, "spec files missing from \(SpecLoader.directory.path): \(missing.map(\.file))")
        #expect(SpecLoader.all.count == 194)
    }

    @Test(arguments: SpecLoader.all)
    func specCase(_ test: SpecCase) throws {
        let template = try Template(source: test.template, path: test.file, options: .mustacheSpec,
                                    partials: PartialDictionary(test.partials))
        let output = try template.render(test.data)
        #expect(output == test.expected, "template: \(test.template.debugDescription)")
    }
}
