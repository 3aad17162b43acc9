/// How alike the letters to each recipient are (`check --similarity`): officials'
/// mail systems discard batches of identical letters (more than six, in the UK House
/// of Lords' case), so a campaign wants each recipient's letters to differ.
///
/// Each letter's body is cut into word shingles (4 words), summarised by 64 MinHash
/// values, and compared with the groups already found for its recipient: a letter
/// whose estimated Jaccard similarity with a group's first letter is 0.9 or more
/// joins that group. A recipient's near-identical letters are its largest group.
public struct LetterSimilarity: Sendable {
    /// One recipient whose near-identical letters exceed the threshold.
    public struct Finding: Sendable {
        public let recipient: String
        /// The message numbers of the largest group of near-identical letters.
        public let numbers: [Int]
        public let letters: Int
    }

    public static let shingleWords = 4
    public static let nearIdentical = 0.9
    static let hashCount = 64
    /// Groups compared per recipient; letters beyond that many distinct groups are varied enough.
    static let maximumGroups = 256

    private struct Group {
        let signature: [UInt64]
        var numbers: [Int]
    }

    private var groups: [String: [Group]] = [:]
    private var letterCounts: [String: Int] = [:]
    /// Per letter: its similarity to the most alike letter to the same recipient seen before it.
    private var closest: [Double] = []   // letters that were first to their recipient are not in it

    public init() {}

    /// Adds one letter (its plain-text body) to a recipient.
    public mutating func add(recipient: String, number: Int, text: String) {
        let signature = Self.signature(text)
        letterCounts[recipient, default: 0] += 1
        var recipientGroups = groups[recipient] ?? []
        var best = 0.0
        var bestIndex: Int? = nil
        for (index, group) in recipientGroups.enumerated() {
            let similarity = Self.estimate(signature, group.signature)
            if similarity > best { best = similarity; bestIndex = index }
        }
        if !recipientGroups.isEmpty { closest.append(best) }
        if let bestIndex, best >= Self.nearIdentical {
            recipientGroups[bestIndex].numbers.append(number)
        } else if recipientGroups.count < Self.maximumGroups {
            recipientGroups.append(Group(signature: signature, numbers: [number]))
        }
        groups[recipient] = recipientGroups
    }

    /// Recipients whose largest group of near-identical letters is larger than `threshold`.
    public func findings(threshold: Int) -> [Finding] {
        groups.compactMap { recipient, list -> Finding? in
            guard let largest = list.max(by: { $0.numbers.count < $1.numbers.count }), largest.numbers.count > threshold else { return nil }
            return Finding(recipient: recipient, numbers: largest.numbers, letters: letterCounts[recipient] ?? 0)
        }.sorted { $0.recipient < $1.recipient }
    }

    /// The median, over letters that share a recipient with an earlier one, of their
    /// similarity to the most alike earlier letter (0 to 1); nil with no such letters.
    public var medianSimilarity: Double? {
        guard !closest.isEmpty else { return nil }
        let sorted = closest.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }

    /// Recipients seen, and the largest number of near-identical letters any one gets.
    public var recipientCount: Int { letterCounts.count }
    public var largestGroup: Int { groups.values.flatMap { $0.map(\.numbers.count) }.max() ?? 0 }

    static func signature(_ text: String) -> [UInt64] {
        let words = Deliverability.words(text)
        var shingles: [UInt64] = []
        if words.count < shingleWords {
            shingles = [fnv(words.joined(separator: " "))]
        } else {
            for start in 0...(words.count - shingleWords) {
                shingles.append(fnv(words[start..<(start + shingleWords)].joined(separator: " ")))
            }
        }
        var signature = [UInt64](repeating: .max, count: hashCount)
        for shingle in shingles {
            for index in 0..<hashCount {
                let value = mix(shingle ^ (UInt64(index) &* 0x9e37_79b9_7f4a_7c15))
                if value < signature[index] { signature[index] = value }
            }
        }
        return signature
    }

    static func estimate(_ a: [UInt64], _ b: [UInt64]) -> Double {
        var same = 0
        for index in 0..<hashCount where a[index] == b[index] { same += 1 }
        return Double(same) / Double(hashCount)
    }

    private static func fnv(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        return hash
    }

    /// SplitMix64's finaliser: spreads one hash into many independent-looking ones.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
