import Foundation

/// Names the process holding an flock on a file, from Linux's /proc/locks, for the
/// message that tells a second sender who is using the send log.
enum LockHolder {
    static func describe(descriptor: Int32) -> String {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { return "another megaphone process" }
        let device = info.st_dev
        let wanted = String(format: "%02x:%02x:%llu", (device >> 8) & 0xfff, (device & 0xff) | ((device >> 12) & 0xfff00), UInt64(info.st_ino))
        // The kernel writes /proc/locks a page at a time: a lock released elsewhere between
        // two pages shifts the rest, and a line can be skipped. Another read finds it.
        for _ in 0..<10 {
            if let holder = holder(of: wanted) { return holder }
            usleep(2_000)
        }
        return "another megaphone process"
    }

    private static func holder(of wanted: String) -> String? {
        guard let locks = try? String(contentsOfFile: "/proc/locks", encoding: .utf8) else { return nil }
        for line in locks.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1] == "FLOCK", fields[5] == wanted, let pid = Int32(fields[4]) else { continue }
            let command = (try? String(contentsOfFile: "/proc/\(pid)/cmdline", encoding: .utf8))?
                .split(separator: "\0").prefix(3).map(String.init).joined(separator: " ") ?? ""
            return "process \(pid)" + (command.isEmpty ? "" : " (\(command))")
        }
        return nil
    }
}
