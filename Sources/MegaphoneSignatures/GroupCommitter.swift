import Foundation
import GRDB

/// The store's one write path, with group commit: work that arrives while a transaction is
/// being written waits, and then all of it goes into the next transaction, each
/// piece in its own savepoint, under one fsync. Every caller resumes only after
/// the commit that holds its change is on disk.
final class GroupCommitter: @unchecked Sendable {
    private let database: any DatabaseWriter
    private let condition = NSCondition()
    private var jobs: [any GroupJob] = []
    private var started = false
    /// The most pieces of work in one transaction, so a flood cannot hold everyone back.
    private static let maxBatch = 512

    init(database: any DatabaseWriter) {
        self.database = database
    }

    /// Runs `work` inside the next group transaction and returns its result once committed.
    func submit<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            enqueue(Job(work: work) { continuation.resume(with: $0) })
        }
    }

    /// The same for a caller on a plain thread (the mailer): blocks until committed.
    func perform<T: Sendable>(_ work: @escaping @Sendable (Database) throws -> T) throws -> T {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox<T>()
        enqueue(Job(work: work) { result in
            box.result = result
            done.signal()
        })
        done.wait()
        guard let result = box.result else { throw StoreError(.damaged, path: "", "the write did not run") }
        return try result.get()
    }

    private func enqueue(_ job: any GroupJob) {
        condition.lock()
        jobs.append(job)
        if !started {
            started = true
            let thread = Thread { [self] in loop() }
            thread.name = "megaphone-store-writer"
            thread.start()
        }
        condition.signal()
        condition.unlock()
    }

    private func loop() {
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            let batch = Array(jobs.prefix(Self.maxBatch))
            jobs.removeFirst(batch.count)
            condition.unlock()
            do {
                try database.write { db in
                    for job in batch { job.run(db) }
                }
                for job in batch { job.finish(nil) }
            } catch {
                for job in batch { job.finish(error) }
            }
        }
    }
}

private protocol GroupJob: AnyObject {
    /// Runs inside the transaction, in a savepoint of its own.
    func run(_ db: Database)
    /// Called after the commit (nil) or its failure.
    func finish(_ commitError: (any Error)?)
}

/// One piece of work: its result is handed to `completion` once the commit that
/// holds it has succeeded (or failed).
private final class Job<T: Sendable>: GroupJob {
    let work: @Sendable (Database) throws -> T
    let completion: (Result<T, any Error>) -> Void
    var result: Result<T, any Error>?

    init(work: @escaping @Sendable (Database) throws -> T, completion: @escaping (Result<T, any Error>) -> Void) {
        self.work = work
        self.completion = completion
    }

    func run(_ db: Database) {
        do {
            var value: T?
            try db.inSavepoint {
                value = try work(db)
                return .commit
            }
            if let value { result = .success(value) }
        } catch {
            result = .failure(error)
        }
    }

    func finish(_ commitError: (any Error)?) {
        if let commitError {
            completion(.failure(commitError))
        } else {
            completion(result ?? .failure(StoreError(.damaged, path: "", "the write did not run")))
        }
    }
}

private final class ResultBox<T>: @unchecked Sendable {
    var result: Result<T, any Error>?
}
