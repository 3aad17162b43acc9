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
