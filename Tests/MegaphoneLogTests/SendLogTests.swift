import Foundation
import MegaphoneLog
import MegaphoneValue
import Testing

@Suite struct SendLogTests {
    private func temporaryLog() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("megaphone-\(UUID().uuidString).sendlog.jsonl").path
    }

    @Test func recordsRoundTripAndFoldIntoHistory() throws {
        let path = temporaryLog()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (log, empty) = try SendLog.open(path)
        #expect(empty.entries.isEmpty)
        var attempt = SendRecord(campaign: "c", state: .attempt, key: "a@example.org", number: 1, messageID: "m1@example.org",
                                 recipients: ["a@example.org"], attempt: 1, hash: "abc")
        try log.append(attempt)
        var sent = attempt
        sent.state = .sent
        sent.replyCode = 250
        sent.enhancedCode = "2.0.0"
        sent.replyText = "Ok: queued as \"Q1\"\nwith a line break"
        try log.append(sent)
        attempt.key = "b@example.org"
        attempt.number = 2
        try log.append(attempt)
        let (_, history) = try SendLog.open(path, lock: false)
        #expect(history["a@example.org"]?.state == .sent)
        #expect(history["a@example.org"]?.last.replyText == "Ok: queued as \"Q1\"\nwith a line break")
        #expect(history["b@example.org"]?.isUncertain == true)
        #expect(history.order == ["a@example.org", "b@example.org"])
        let lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1].contains(#""state":"sent""#) && lines[1].contains(#""reply":{"code":250,"enhanced":"2.0.0","text":"Ok: queued as \"Q1\"\nwith a line break"}"#))
    }

    @Test func recordLineHasUTCMillisecondsAndEscapesWhatJSONNeeds() throws {
        let time = Date(timeIntervalSince1970: 1_795_538_752.123)   // 2026-11-24T16:45:52.123Z
        let record = SendRecord(time: time, campaign: "c\u{1}\t", state: .attempt, key: "a@example.org",
                                note: "line\u{2028}separator \u{e9}\u{1F4E3} \\ \"q\"")
        let line = String(decoding: record.jsonLine(), as: UTF8.self)
        #expect(line == #"{"time":"2026-11-24T16:45:52.123Z","campaign":"c\u0001\t","state":"attempt","key":"a@example.org","note":"line\u2028separator é📣 \\ \"q\""}"# + "\n")
        let parsed = try #require(SendRecord(try JSONParser.parse(line)))
        #expect(parsed.note == record.note && parsed.campaign == record.campaign)
        #expect(abs(parsed.time.timeIntervalSince1970 - time.timeIntervalSince1970) < 0.0005)
        // A time written by another tool with an offset and no fraction still reads.
        let other = try #require(SendRecord(try JSONParser.parse(#"{"time":"2026-11-24T17:45:52+01:00","campaign":"c","state":"sent"}"#)))
        #expect(other.time.timeIntervalSince1970 == 1_795_538_752)
    }

    @Test func tornLastLineIsCutOffWithAWarning() throws {
        let path = temporaryLog()
        defer { try? FileManager.default.removeItem(atPath: path) }
        do {
            // Its own scope: the log is closed (and its lock released) before the power cut.
            let (log, _) = try SendLog.open(path)
            try log.append(SendRecord(campaign: "c", state: .sent, key: "a@example.org", number: 1))
            log.close()
        }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        try handle.write(contentsOf: Data(#"{"time":"2026-11-27T10:00:00Z","campaign":"c","sta"#.utf8))
        try handle.close()
        let (reopened, history) = try SendLog.open(path)
        #expect(history.warnings.count == 1)
        #expect(history.warnings.first?.contains(":2: warning: the last line was cut short") == true)
        #expect(history["a@example.org"]?.state == .sent)
        try reopened.append(SendRecord(campaign: "c", state: .attempt, key: "b@example.org", number: 2))
        let (_, again) = try SendLog.open(path, lock: false)
        #expect(again.warnings.isEmpty)
        #expect(again.entries.count == 2)
    }

    @Test func damageInTheMiddleIsAnError() throws {
        let path = temporaryLog()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try "{\"time\":\"2026-11-27T10:00:00Z\",\"campaign\":\"c\",\"state\":\"sent\",\"key\":\"a\"}\nnot json\n".write(toFile: path, atomically: true, encoding: .utf8)
        let error = #expect(throws: LogError.self) { try SendLog.open(path) }
        #expect(error?.line == 2)
    }

    @Test func groupCommitAcrossThreads() throws {
        let path = temporaryLog()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (log, _) = try SendLog.open(path)
        DispatchQueue.concurrentPerform(iterations: 8) { worker in
            for index in 0..<250 {
                let ticket = try? log.submit(SendRecord(campaign: "c", state: .attempt, key: "w\(worker)-\(index)", number: index))
                if index % 10 == 0, let ticket { try? log.waitDurable(ticket) }
            }
        }
        log.close()
        let (_, history) = try SendLog.open(path, lock: false)
        #expect(history.entries.count == 2000)
        #expect(history.warnings.isEmpty)
    }

    @Test func sentStaysSent() throws {
        let path = temporaryLog()
        defer { try? FileManager.default.removeItem(atPath: path) }
        let (log, _) = try SendLog.open(path)
        try log.append(SendRecord(campaign: "c", state: .sent, key: "a"))
        try log.append(SendRecord(campaign: "c", state: .attempt, key: "a"))
        let (_, history) = try SendLog.open(path, lock: false)
        #expect(history["a"]?.state == .sent)
    }
}
