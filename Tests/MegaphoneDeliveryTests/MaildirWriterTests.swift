import Foundation
import MegaphoneDelivery
import MegaphoneTestSupport
import Testing

/// `send` runs one Maildir writer per connection: their file names must never meet.
@Suite struct MaildirWriterTests {
    @Test func writersInOneProcessNeverMakeTheSameName() throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let path = folder.url.appendingPathComponent("outbox").path
        let first = try MaildirWriter(path: path), second = try MaildirWriter(path: path)
        var names: [String] = []
        for _ in 0..<500 {
            names.append(try first.deliver(Array("a".utf8), number: 1))
            names.append(try second.deliver(Array("b".utf8), number: 1))
        }
        #expect(Set(names).count == 1000)
        #expect(try FileManager.default.contentsOfDirectory(atPath: path + "/new").count == 1000)
        // The part that tells two deliveries of one process apart (`Q…`) is never shared,
        // even when two writers deliver in the same microsecond.
        func sequence(_ name: String) -> Substring { name.split(separator: "Q").last?.split(separator: "N").first ?? "" }
        #expect(Set(names.map(sequence)).count == 1000)
    }
}
