import Foundation

/// Names the process holding an flock on a file, from Linux's /proc/locks, for the
/// message that tells a second sender who is using the send log.
enum LockHolder {
    static func describe(descriptor: Int32) -> String {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return "another megaphone process" }
        let device = info.st_dev
        let wanted = String(format: "%02x:%02x:%llu", (device >> 8) & 0xfff, (device & 0xff) | ((device >> 12) & 0xfff00), UInt64(info.st_ino))
        // The kernel writes /proc/locks a page at a time: it is read to its end (Foundation's
        // String(contentsOfFile:) stops after the first 4 KiB of such a file, where a busy
        // machine's newer locks hide an older one), and read again when a lock released
        // elsewhere between two pages shifted the rest and skipped the line.
        for _ in 0..<10 {
            if let holder = holder(of: wanted) { return holder }
            usleep(2_000)
        }
        return "another megaphone process"
    }

    private static func holder(of wanted: String) -> String? {
        guard let locks = readWhole("/proc/locks") else { return nil }
        for line in locks.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1] == "FLOCK", fields[5] == wanted, let pid = Int32(fields[4]) else { continue }
            let command = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8))?
                .split(separator: "\0").prefix(3).map(String.init).joined(separator: " ") ?? ""
            return "process \(pid)" + (command.isEmpty ? "" : " (\(command))")
        }
        return nil
    }

    /// A file read until `read` says it has ended: /proc files report a size of 0 and
    /// hand out a page per call.
    private static func readWhole(_ path: String) -> String? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0, errno == EINTR { continue }
            guard count > 0 else { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
