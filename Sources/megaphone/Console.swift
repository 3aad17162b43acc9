import Foundation

/// Standard output and standard error, written as bytes.
struct Console: Sendable {
    func out(_ text: String) { FileHandle.standardOutput.write(Data(text.utf8)) }
    func out(bytes: [UInt8]) { FileHandle.standardOutput.write(Data(bytes)) }
    func err(_ text: String) { FileHandle.standardError.write(Data(text.utf8)) }
}
