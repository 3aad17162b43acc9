/// The pair of tag delimiters in force, `{{` and `}}` unless a `{{=<% %>=}}` tag changed them.
struct Delimiters: Sendable, Hashable {
    var open: [UInt8]
    var close: [UInt8]

    static let standard = Delimiters(open: Array("{{".utf8), close: Array("}}".utf8))
}
