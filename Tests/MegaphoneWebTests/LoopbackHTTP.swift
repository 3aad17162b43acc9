import Foundation

/// One HTTP/1.1 request over a plain socket from a chosen loopback source address
/// (127.0.0.2 and the rest of 127/8 reach a server on 127.0.0.1), so a test can be
/// two clients at once. `Connection: close`: the answer is read to the end.
struct LoopbackHTTP {
    let port: Int
    /// The client's own address.
    var from = "127.0.0.1"

    struct Answer {
        let status: Int
        let headers: [(name: String, value: String)]
        let body: String

        func header(_ name: String) -> String? {
            headers.first { $0.name.lowercased() == name.lowercased() }?.value
        }
    }

    func get(_ path: String, headers: [String: String] = [:]) throws -> Answer {
        try request("GET", path, headers: headers, body: nil)
    }

    func post(_ path: String, form: String, headers: [String: String] = [:]) throws -> Answer {
        var all = headers
        all["Content-Type"] = "application/x-www-form-urlencoded"
        return try request("POST", path, headers: all, body: form)
    }

    func request(_ method: String, _ path: String, headers: [String: String], body: String?) throws -> Answer {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw FixtureError(message: "socket: errno \(errno)") }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 15, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        func address(_ host: String, _ port: Int) -> sockaddr_in {
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_addr.s_addr = inet_addr(host)
            address.sin_port = UInt16(port).bigEndian
            return address
        }
        var source = address(from, 0)
        let bound = withUnsafePointer(to: &source) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw FixtureError(message: "cannot bind to \(from): errno \(errno)") }
        var target = address("127.0.0.1", port)
        let connected = withUnsafePointer(to: &target) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw FixtureError(message: "cannot connect to 127.0.0.1:\(port): errno \(errno)") }
        var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1:\(port)\r\nConnection: close\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) { text += "\(name): \(value)\r\n" }
        if let body { text += "Content-Length: \(body.utf8.count)\r\n\r\n\(body)" } else { text += "\r\n" }
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let n = bytes[sent...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
            guard n > 0 else { throw FixtureError(message: "send: errno \(errno)") }
            sent += n
        }
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { break }
            guard n > 0 else { throw FixtureError(message: "recv: errno \(errno) after \(received.count) bytes") }
            received += buffer[0..<n]
        }
        let answer = String(decoding: received, as: UTF8.self)
        guard let split = answer.range(of: "\r\n\r\n") else { throw FixtureError(message: "no HTTP answer: \(answer)") }
        let lines = answer[..<split.lowerBound].components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else { throw FixtureError(message: "no status line: \(lines[0])") }
        let fields = lines.dropFirst().compactMap { line -> (name: String, value: String)? in
            guard let colon = line.firstIndex(of: ":") else { return nil }
            return (String(line[..<colon]), line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces))
        }
        return Answer(status: status, headers: fields, body: String(answer[split.upperBound...]))
    }
}
