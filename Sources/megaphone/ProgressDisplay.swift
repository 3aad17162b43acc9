import Foundation
import MegaphoneSend

/// Shows a send's progress on standard error: a bar redrawn in place on a
/// terminal, a plain line every few seconds otherwise, nothing with --quiet.
final class ProgressDisplay: @unchecked Sendable {
    private let console: Console
    private let quiet: Bool
    private let isTerminal = isatty(STDERR_FILENO) == 1
    private let lock = NSLock()
    private var toSend = 0
    private var start = Date()
    private var lastDraw = Date.distantPast
    private var drewBar = false

    init(console: Console, quiet: Bool) {
        self.console = console
        self.quiet = quiet
    }

    func handle(_ event: SendEvent) {
        lock.lock()
        defer { lock.unlock() }
        switch event {
        case .message(let text):
            clearBar()
            console.err(text + "\n")
        case .waiting(let until):
            guard !quiet else { return }
            let formatter = ISO8601DateFormatter()
            console.err("Holding until \(formatter.string(from: until)) (--not-before); \(Self.duration(until.timeIntervalSinceNow)) to go. Ctrl-C stops.\n")
        case .started(let count, let summary):
            toSend = count
            start = Date()
            guard !quiet else { return }
            var line = "Sending \(count) of \(summary.total) message\(summary.total == 1 ? "" : "s")"
            if summary.alreadySent > 0 { line += "; \(summary.alreadySent) already sent" }
            if !summary.uncertainEarlier.isEmpty { line += "; \(summary.uncertainEarlier.count) uncertain left alone" }
            console.err(line + "\n")
        case .progress(let summary):
            guard !quiet else { return }
            let now = Date()
            let done = summary.sent + summary.deferred + summary.failed + summary.uncertain
            let interval = isTerminal ? 0.1 : 5
            guard now.timeIntervalSince(lastDraw) >= interval || done == toSend else { return }
            lastDraw = now
            let elapsed = max(0.001, now.timeIntervalSince(start))
            let rate = Double(done) / elapsed
            let eta = rate > 0 ? Double(toSend - done) / rate : 0
            let counts = "sent \(summary.sent), deferred \(summary.deferred), failed \(summary.failed)"
                + (summary.uncertain > 0 ? ", uncertain \(summary.uncertain)" : "")
            let numbers = "\(done)/\(toSend) · \(counts) · \(String(format: "%.1f", rate))/s · ETA \(Self.duration(eta))"
            if isTerminal {
                let width = 24
                let filled = toSend > 0 ? width * done / toSend : width
                let bar = String(repeating: "█", count: filled) + String(repeating: "░", count: width - filled)
                console.err("\r\u{1B}[K[\(bar)] \(numbers)")
                drewBar = true
            } else {
                console.err(numbers + "\n")
            }
        }
    }

    private func clearBar() {
        if drewBar {
            console.err("\r\u{1B}[K")
            drewBar = false
        }
    }

    func finish() {
        lock.lock()
        if drewBar { console.err("\n") }
        drewBar = false
        lock.unlock()
    }

    static func duration(_ seconds: Double) -> String {
        let total = Int(max(0, seconds).rounded())
        if total >= 3600 { return "\(total / 3600)h\(String(format: "%02d", (total % 3600) / 60))m" }
        if total >= 60 { return "\(total / 60)m\(String(format: "%02d", total % 60))s" }
        return "\(total)s"
    }
}

/// The table printed when a send ends.
enum SummaryTable {
    static func text(_ summary: SendSummary, campaign: String, log: String) -> String {
        var rows: [(String, Int, String)] = [
            ("sent", summary.sent, ""),
            ("deferred", summary.deferred, summary.deferred > 0 ? "run send again later to retry them" : ""),
            ("failed", summary.failed, summary.failed > 0 ? "refused for good; 'megaphone log … --state failed' shows why" : ""),
            ("uncertain", summary.uncertain, summary.uncertain > 0 ? "handed over with no reply; not sent again unless --resend-uncertain" : ""),
        ]
        if summary.alreadySent > 0 { rows.append(("already sent", summary.alreadySent, "by earlier runs")) }
        if summary.failedEarlier > 0 { rows.append(("failed earlier", summary.failedEarlier, "not tried again")) }
        if summary.suppressed > 0 { rows.append(("suppressed", summary.suppressed, "on the suppression list (bounced or unsubscribed); --include-suppressed sends them")) }
        if !summary.uncertainEarlier.isEmpty {
            rows.append(("uncertain earlier", summary.uncertainEarlier.count, "attempted with no outcome; not sent again unless --resend-uncertain"))
        }
        if summary.notStarted > 0 { rows.append(("not started", summary.notStarted, "the run stopped first; run send again")) }
        var text = "\nCampaign \(campaign): \(summary.total) message\(summary.total == 1 ? "" : "s"), \(ProgressDisplay.duration(summary.elapsed))\n"
        for (name, count, note) in rows {
            let label = name.padding(toLength: 18, withPad: " ", startingAt: 0)
            let number = String(count)
            text += "  \(label)\(String(repeating: " ", count: max(0, 7 - number.count)))\(number)\(note.isEmpty ? "" : "  \(note)")\n"
        }
        for message in summary.uncertainEarlier.prefix(20) { text += "    uncertain: \(message)\n" }
        if summary.uncertainEarlier.count > 20 { text += "    … and \(summary.uncertainEarlier.count - 20) more ('megaphone log' lists them)\n" }
        text += "Log: \(log)\n"
        if let spool = summary.keptSpool {
            text += "Spool: \(spool) (the checked messages\(summary.reusedSpool ? ", kept from an earlier run" : ""); the next run checks it against the campaign and sends from it)\n"
        }
        return text
    }
}

/// Turns SIGINT and SIGTERM into a call, so a run can stop cleanly.
final class SignalWatcher: @unchecked Sendable {
    private var sources: [any DispatchSourceSignal] = []

    init(_ handler: @escaping @Sendable (Int32) -> Void) {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { handler(number) }
            source.resume()
            sources.append(source)
        }
    }

    func cancel() {
        for source in sources { source.cancel() }
        signal(SIGINT, SIG_DFL)
        signal(SIGTERM, SIG_DFL)
    }
}
