/// The data a template renders: JSON-shaped values plus host-registered lambdas.
public enum Value: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case array([Value])
    case object(Object)
    case lambda(Lambda)

    /// Whether a section shows its content for this value: `null`, `false`, `""`,
    /// numeric zero and `[]` hide it; everything else shows it.
    public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .int(let value): value != 0
        case .double(let value): value != 0
        case .string(let value): !value.isEmpty
        case .array(let items): !items.isEmpty
        case .object, .lambda: true
        }
    }

    /// The member named `key` when this is an object.
    public subscript(key: String) -> Value? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    /// A short name of the value's kind for error messages ("a list", "text").
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "a true/false value"
        case .int, .double: "a number"
        case .string: "text"
        case .array: "a list"
        case .object: "an object"
        case .lambda: "a lambda"
        }
    }

    /// The text a scalar renders as, or nil for lists, objects and lambdas.
    public var scalarText: String? {
        switch self {
        case .null: ""
        case .bool(let value): value ? "true" : "false"
        case .int(let value): String(value)
        case .double(let value): Self.format(value)
        case .string(let value): value
        case .array, .object, .lambda: nil
        }
    }

    /// Formats a decimal the short way: `1.21`, and `3` for `3.0`.
    public static func format(_ value: Double) -> String {
        if value.rounded() == value, abs(value) < 1e15 { return String(Int(value)) }
        return String(value)
    }

    /// Whether this is `null`.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// Merges `other` into this object: keys of `other` win; two objects under the
    /// same key merge recursively. A non-object on either side is replaced.
    public func merging(_ other: Value) -> Value {
        guard case .object(var mine) = self, case .object(let theirs) = other else { return other }
        for (key, value) in theirs {
            if let existing = mine[key] { mine[key] = existing.merging(value) } else { mine[key] = value }
        }
        return .object(mine)
    }
}

extension Value: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int.self) {
            self = .int(value)
        } else if let value = try? container.decode(Double.self) {
            self = .double(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([Value].self) {
            self = .array(value)
        } else {
            self = .object(Object(try container.decode([String: Value].self)))
        }
    }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByFloatLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(nilLiteral: ()) { self = .null }
    public init(arrayLiteral elements: Value...) { self = .array(elements) }
    public init(dictionaryLiteral elements: (String, Value)...) {
        var object = Object()
        for (name, value) in elements { object[name] = value }
        self = .object(object)
    }
}

/// A host-registered Swift closure placed in the data, as Mustache lambdas are.
///
/// Used as `{{name}}` it is called with `nil` and its text result is rendered as a
/// template (default delimiters), then escaped as any value. Used as a section
/// `{{#name}}…{{/name}}` it is called with the section's raw text and its text
/// result is rendered with the delimiters in force there, unescaped.
public struct Lambda: Sendable {
    public let body: @Sendable (String?) -> Value

    public init(_ body: @escaping @Sendable (_ sectionText: String?) -> Value) {
        self.body = body
    }
}

extension Value: Equatable {
    /// Values compare by content; two lambdas are never equal (closures have no identity to compare).
    public static func == (lhs: Value, rhs: Value) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.double(let a), .double(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a == b
        default: false
        }
    }
}
