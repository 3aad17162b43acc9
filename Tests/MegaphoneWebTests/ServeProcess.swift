import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MegaphoneTestSupport

/// The built `megaphone serve` running on a free loopback port, for end-to-end tests.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    let errors: URL
    var base: String { "http://127.0.0.1:\(port)" }

    /// - Parameter openFiles: a limit on open files (`ulimit -n`, soft and hard) to start serve under.
    init(_ campaigns: [String], in folder: URL, extra: [String] = [], environment: [String: String] = [:], openFiles: Int? = nil) throws {
        port = try Self.freePort()
        errors = folder.appendingPathComponent("serve-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.executableURL = CLI.binary
        process.arguments = ["serve"] + campaigns + ["--listen", "127.0.0.1:\(port)", "--per-ip", "0", "--outbox", folder.appendingPathComponent("outbox").path] + extra
        if let openFiles {
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = ["-c", "ulimit -n \(openFiles) && exec \"$0\" \"$@\"", CLI.binary.path] + (process.arguments ?? [])
        }
        process.currentDirectoryURL = folder
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        process.standardOutput = FileHandle.nullDevice
        process.standardError = try FileHandle(forWritingTo: errors)
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let until = Date().addingTimeInterval(30)
        while Date() < until {
            if !process.isRunning { throw FixtureError(message: "serve exited: \(log)") }
            if (try? Self.get(base + "/healthz")) == "ok\n" { return }
            Thread.sleep(forTimeInterval: 0.1)
        }
        throw FixtureError(message: "serve did not answer within 30 s: \(log)")
    }

    var log: String { (try? String(contentsOf: errors, encoding: .utf8)) ?? "" }

    func kill9() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    /// SIGTERM, and the exit status.
    func terminate() -> Int32 {
        process.terminate()
        process.waitUntilExit()
        return process.terminationStatus
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw FixtureError(message: "no free port") }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    /// A plain GET with curl-like simplicity over a socket-free path: URLSession is enough here.
    static func get(_ url: String) throws -> String {
        let done = DispatchSemaphore(value: 0)
        let box = ResultBox()
        let task = URLSession.shared.dataTask(with: URL(string: url)!) { data, _, error in
            box.text = data.map { String(decoding: $0, as: UTF8.self) }
            box.failed = error != nil
            done.signal()
        }
        task.resume()
        done.wait()
        guard let text = box.text, !box.failed else { throw FixtureError(message: "GET \(url) failed") }
        return text
    }
}

final class ResultBox: @unchecked Sendable {
    var text: String?
    var failed = false
}

/// Runs a Python script from Tests/Fixtures with Debian's python3, returning status and output.
func python(_ script: String, _ arguments: [String]) throws -> (Int32, String) {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
    process.arguments = [CLI.packageRoot.appendingPathComponent("Tests/Fixtures/\(script)").path] + arguments
    let out = Pipe()
    process.standardOutput = out
    process.standardError = out
    process.standardInput = FileHandle.nullDevice
    try process.run()
    let data = out.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
