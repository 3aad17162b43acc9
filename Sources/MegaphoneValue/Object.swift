/// The members of a JSON object, in the order they were added. Names are found by
/// a cheap hash of their UTF-8 (FNV-1a), which a template computes once per tag
/// (`Object.MemberName`), instead of Swift's seeded SipHash on every lookup: a
/// letter looks up dozens of names, and hashing them was most of its rendering time.
public struct Object: Sendable {
    /// A member name with its hash, computed once and used for many lookups.
    public struct MemberName: Sendable, Hashable {
        public let name: String
        let hash: UInt32

        public init(_ name: String) {
            self.name = name
            hash = Object.hash(name)
        }
    }

    private struct Entry: Sendable {
        let name: MemberName
        var value: MegaphoneValue.Value
    }

    /// One array, so that copying an object (as every lookup through a `Value`
    /// does) costs one retain; small objects are searched by hash, in order.
    private var entries: [Entry] = []
    /// Objects above `linearLimit` members also have a hash index.
    private var index: HashIndex?
    private static let linearLimit = 8

    public init() {}

    public init(_ members: [String: MegaphoneValue.Value]) {
        reserveCapacity(members.count)
        for (name, value) in members { self[name] = value }
    }

    /// Text members, as a CSV row gives them.
    public init(strings: [String: String]) {
        reserveCapacity(strings.count)
        for (name, text) in strings { self[name] = .string(text) }
    }

    public mutating func reserveCapacity(_ count: Int) { entries.reserveCapacity(count) }

    public var count: Int { entries.count }
    public var isEmpty: Bool { entries.isEmpty }
    /// The member names, in order.
    public var keys: [String] { entries.map(\.name.name) }

    static func hash(_ name: String) -> UInt32 {
        var name = name
        return name.withUTF8 { bytes in
            var hash: UInt32 = 0x811c_9dc5
            for byte in bytes { hash = (hash ^ UInt32(byte)) &* 0x0100_0193 }
            return hash
        }
    }

    private func position(of key: MemberName) -> Int? {
        entries.withUnsafeBufferPointer { entries -> Int? in
            guard let index else {
                for position in 0..<entries.count where entries[position].name.hash == key.hash && entries[position].name.name == key.name {
                    return position
                }
                return nil
            }
            let mask = index.capacity - 1
            var slot = Int(key.hash) & mask
            while true {
                let entry = Int(index.slots[slot])
                if entry == 0 { return nil }
                if entries[entry - 1].name.hash == key.hash && entries[entry - 1].name.name == key.name { return entry - 1 }
                slot = (slot + 1) & mask
            }
        }
    }

    public subscript(key: MemberName) -> MegaphoneValue.Value? {
        get { position(of: key).map { entries[$0].value } }
        set {
            if let position = position(of: key) {
                if let newValue { entries[position].value = newValue } else { remove(at: position) }
            } else if let newValue {
                entries.append(Entry(name: key, value: newValue))
                if entries.count > Self.linearLimit { indexLast() }
            }
        }
    }

    public subscript(name: String) -> MegaphoneValue.Value? {
        get { self[MemberName(name)] }
        set { self[MemberName(name)] = newValue }
    }

    /// An object with every member's value transformed, names and order kept.
    public func mapValues(_ transform: (MegaphoneValue.Value) throws -> MegaphoneValue.Value) rethrows -> Object {
        var result = self
        for position in result.entries.indices { result.entries[position].value = try transform(result.entries[position].value) }
        return result
    }

    private mutating func remove(at position: Int) {
        entries.remove(at: position)
        index = nil
        if entries.count > Self.linearLimit { rebuildIndex() }
    }

    /// Adds the last entry to the index, growing (or copying, when shared) it first when needed.
    private mutating func indexLast() {
        guard let current = index, current.capacity >= entries.count * 2, isKnownUniquelyReferenced(&index) else {
            rebuildIndex()
            return
        }
        current.insert(entries[entries.count - 1].name.hash, position: entries.count - 1)
    }

    private mutating func rebuildIndex() {
        var capacity = 16
        while capacity < entries.count * 4 { capacity *= 2 }
        let fresh = HashIndex(capacity: capacity)
        for position in entries.indices { fresh.insert(entries[position].name.hash, position: position) }
        index = fresh
    }

    /// Open addressing over member hashes; each slot holds a position + 1 (0 is empty).
    private final class HashIndex: @unchecked Sendable {
        let slots: UnsafeMutablePointer<Int32>
        let capacity: Int

        init(capacity: Int) {
            self.capacity = capacity
            slots = .allocate(capacity: capacity)
            slots.initialize(repeating: 0, count: capacity)
        }

        deinit { slots.deallocate() }

        /// Only on an index no other object shares.
        func insert(_ hash: UInt32, position: Int) {
            let mask = capacity - 1
            var slot = Int(hash) & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(position + 1)
        }
    }
}

extension Object: Sequence {
    public typealias Element = (key: String, value: MegaphoneValue.Value)

    public struct Iterator: IteratorProtocol {
        let object: Object
        var position = 0

        public mutating func next() -> Element? {
            guard position < object.entries.count else { return nil }
            defer { position += 1 }
            return (object.entries[position].name.name, object.entries[position].value)
        }
    }

    public func makeIterator() -> Iterator { Iterator(object: self) }
    public var underestimatedCount: Int { count }
}

extension Object: ExpressibleByDictionaryLiteral {
    /// A repeated name keeps its last value.
    public init(dictionaryLiteral elements: (String, MegaphoneValue.Value)...) {
        reserveCapacity(elements.count)
        for (name, value) in elements { self[name] = value }
    }
}

extension Object: Equatable {
    /// The same names with equal values, in any order.
    public static func == (lhs: Object, rhs: Object) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for entry in lhs.entries where rhs[entry.name] != entry.value { return false }
        return true
    }
}
