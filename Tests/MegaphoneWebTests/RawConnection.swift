import Foundation

/// A plain TCP connection to a loopback port, for requests no HTTP client would send
/// (no Host, two Hosts, malformed, Expect: 100-continue) and answers read byte for byte.
final class RawConnection {
    private let fd: Int32
    private(set) var received = ""

    init(port: Int) throws {
        fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else {
            close(fd)
            throw FixtureError(message: "cannot connect to 127.0.0.1:\(port)")
        }
    }

    deinit { close(fd) }

    func send(_ text: String) {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { Foundation.send(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { return }
            sent += n
        }
    }

    /// Reads until what was received contains `marker`, the server closes, or `seconds` pass.
    @discardableResult
    func read(until marker: String? = nil, seconds: Double = 10) -> String {
        let until = Date().addingTimeInterval(seconds)
        var buffer = [UInt8](repeating: 0, count: 65536)
        var bytes = Array(received.utf8)
        while Date() < until {
            if let marker, String(decoding: bytes, as: UTF8.self).contains(marker) { break }
            var poller = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&poller, 1, 100) > 0 else { continue }
            let n = recv(fd, &buffer, buffer.count, 0)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        received = String(decoding: bytes, as: UTF8.self)
        return received
    }

    /// One exchange: `request` sent on a new connection, the answer read until the server closes.
    static func exchange(port: Int, _ request: String, seconds: Double = 10) throws -> RawAnswer {
        let connection = try RawConnection(port: port)
        connection.send(request)
        return RawAnswer(connection.read(seconds: seconds))
    }
}

/// An answer's status line, headers and body, split from its raw text.
struct RawAnswer {
    let text: String
    let statusLine: String
    let headers: [(String, String)]
    let body: String

    init(_ text: String) {
        self.text = text
        let parts = text.components(separatedBy: "\r\n\r\n")
        let head = parts.first ?? ""
        body = parts.dropFirst().joined(separator: "\r\n\r\n")
        let lines = head.components(separatedBy: "\r\n")
        statusLine = lines.first ?? ""
        headers = lines.dropFirst().compactMap { line in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
    }

    /// The first header of that name (case-insensitive).
    subscript(_ name: String) -> String? {
        headers.first { $0.0.lowercased() == name.lowercased() }?.1
    }
}
