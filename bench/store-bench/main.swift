// The store's ceiling for `make bench`: signatures inserted through the same API and
// durability as `megaphone serve` (group commit, WAL, synchronous=FULL), each with a
// queued email of a confirmation's size, from many concurrent callers; no HTTP.
// Usage: store-bench STORE.sqlite TOTAL CONCURRENCY  → prints "rows-per-second N"
import Foundation
import MegaphoneSignatures

let arguments = CommandLine.arguments
guard arguments.count == 4, let total = Int(arguments[2]), let concurrency = Int(arguments[3]) else {
    FileHandle.standardError.write(Data("usage: store-bench STORE.sqlite TOTAL CONCURRENCY\n".utf8))
    exit(64)
}
let store = try SignatureStore(path: arguments[1])
let body = [UInt8](repeating: UInt8(ascii: "x"), count: 1200)

let start = Date()
try await withThrowingTaskGroup(of: Void.self) { group in
    for worker in 0..<concurrency {
        group.addTask {
            var index = worker
            while index < total {
                let request = SignRequest(campaign: "bench", fields: ["name": "Signer", "email": "s\(index)@example.org", "city": "Leeds"],
                                          expires: Date().addingTimeInterval(86_400))
                _ = try await store.sign(request) { _, id in
                    OutgoingMail(kind: "confirmation", key: "bench \(id)", envelopeFrom: "c@example.org", recipients: ["s@example.org"], bytes: body)
                }
                index += concurrency
            }
        }
    }
    try await group.waitForAll()
}
let seconds = Date().timeIntervalSince(start)
let stored = try store.signatures(campaign: "bench", state: .pending).count
guard stored == total else {
    FileHandle.standardError.write(Data("stored \(stored) of \(total)\n".utf8))
    exit(70)
}
print("rows-per-second \(String(format: "%.0f", Double(total) / seconds))")
