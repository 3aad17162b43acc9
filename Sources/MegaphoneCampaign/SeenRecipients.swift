/// Which recipient keys a stream has met, and the line each was first on: 64-bit
/// hashes (SipHash, seeded per run) in an open-addressing table of 12 bytes a
/// slot, sized once from the file's line count, so that a million recipients cost
/// about 14 MB and no resize briefly holds two tables.
struct SeenRecipients {
    private var hashes: [UInt64]
    private var lines: [UInt32]
    private var count = 0
    /// Most slots filled before the table grows (linear probing stays short below it).
    private static let maximumLoad = 0.85

    init(expected: Int) {
        let capacity = max(16, Int(Double(max(expected, 1)) / 0.8) + 1)
        hashes = Array(repeating: 0, count: capacity)
        lines = Array(repeating: 0, count: capacity)
    }

    /// Records `key` as seen on `line`; returns the line it was first seen on when it was already there.
    mutating func insert(_ key: String, line: Int) -> Int? {
        var hasher = Hasher()
        hasher.combine(key)
        let hash = UInt64(bitPattern: Int64(hasher.finalize()))
        return insert(hash: hash == 0 ? 1 : hash, line: UInt32(clamping: line))
    }

    private mutating func insert(hash: UInt64, line: UInt32) -> Int? {
        if Double(count + 1) > Double(hashes.count) * Self.maximumLoad { grow() }
        let capacity = hashes.count
        var slot = Int(hash.multipliedFullWidth(by: UInt64(capacity)).high)
        while true {
            let found = hashes[slot]
            if found == 0 {
                hashes[slot] = hash
                lines[slot] = line
                count += 1
                return nil
            }
            if found == hash { return Int(lines[slot]) }
            slot += 1
            if slot == capacity { slot = 0 }
        }
    }

    /// Doubles the table: only when the file had more rows than line breaks suggested.
    private mutating func grow() {
        let old = (hashes, lines)
        hashes = Array(repeating: 0, count: old.0.count * 2)
        lines = Array(repeating: 0, count: old.0.count * 2)
        count = 0
        for (hash, line) in zip(old.0, old.1) where hash != 0 { _ = insert(hash: hash, line: line) }
    }
}
