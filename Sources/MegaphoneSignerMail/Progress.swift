import Foundation

/// What a signer-mail service has done in this run, shared by its couriers: the
/// keys settled (the logs read at start do not see them), when each deferred one
/// may be tried again, and whether it is stopping.
final class Progress: @unchecked Sendable {
    private let condition = NSCondition()
    private var stopping = false
    private var inPass = false
    private var finished = false
    private var done: Set<String> = []
    /// When each key may be tried again, and how many tries so far.
    private var retryAt: [String: (Date, Int)] = [:]

    private func locked<T>(_ body: () -> T) -> T {
        condition.lock()
        defer { condition.unlock() }
        return body()
    }

    var isStopping: Bool { locked { stopping } }

    /// Asks to stop; true when no pass is running, so the caller closes the logs now.
    func requestStop() -> Bool {
        locked {
            guard !stopping else { return false }
            stopping = true
            return !inPass
        }
    }

    /// False once stopping: no pass starts then.
    func beginPass() -> Bool {
        locked {
            guard !stopping else { return false }
            inPass = true
            return true
        }
    }

    /// True when a stop was asked during the pass: the pass's thread closes the logs.
    func endPass() -> Bool {
        locked {
            inPass = false
            return stopping && !finished
        }
    }

    func finish() {
        condition.lock()
        finished = true
        condition.broadcast()
        condition.unlock()
    }

    func waitUntilFinished() {
        condition.lock()
        while !finished { condition.wait() }
        condition.unlock()
    }

    func isDone(_ key: String) -> Bool { locked { done.contains(key) } }

    func settle(_ key: String) {
        locked {
            done.insert(key)
            retryAt[key] = nil
        }
    }

    func tries(_ key: String) -> Int { locked { retryAt[key]?.1 ?? 0 } }

    func mayTry(_ key: String, now: Date = Date()) -> Bool {
        locked { (retryAt[key]?.0).map { $0 <= now } ?? true }
    }

    func retryLater(_ key: String, after seconds: Double) {
        locked {
            let tries = (retryAt[key]?.1 ?? 0) + 1
            retryAt[key] = (Date().addingTimeInterval(seconds), tries)
        }
    }
}
