import Foundation
// sockaddr_in and sockaddr_in6 reach this file through NIO's CNIOLinux headers.
#if canImport(CNIOLinux)
import CNIOLinux
#endif
import NIOCore

/// Who one client is, for the connection caps and the login lockout alike: an IPv4
/// address, or an IPv6 client's /64 network (one subscriber is given a whole /64, so
/// its single addresses are free to it). An unknown address is one client of its own.
struct ClientKey: Hashable, Sendable {
    let bytes: [UInt8]

    init(_ address: SocketAddress?) {
        switch address {
        case .v4(let v4):
            bytes = withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6):
            let all = withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
            // An IPv4 client reaching an IPv6 socket (::ffff:a.b.c.d) counts as that IPv4 address.
            if all[0..<10].allSatisfy({ $0 == 0 }), all[10] == 0xFF, all[11] == 0xFF {
                bytes = Array(all[12..<16])
            } else {
                bytes = Array(all[0..<8])
            }
        default:
            bytes = []
        }
    }
}
