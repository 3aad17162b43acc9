import Crypto
import Foundation
import MegaphoneFiles

/// A campaign's own secret key (`NAME.secret`, beside the campaign file and its send
/// log): 32 random bytes, hex, readable by its owner only. It keys the bounce (VERP)
/// and unsubscribe tokens, so that nobody can guess or forge one. Made the first time
/// a campaign needs it; losing it only makes the tokens of letters already sent unknown.
public struct CampaignSecret: Sendable {
    /// The key's bytes.
    let key: SymmetricKey

    /// The secret beside a campaign file: `campaigns/solidarity.json` → `campaigns/solidarity.secret`.
    public static func path(forCampaign campaign: String) -> String {
        CampaignFiles(campaign: campaign).secret
    }

    init(key: SymmetricKey) {
        self.key = key
    }

    /// Reads the secret at `path`, creating it (mode 0600) when there is none yet.
    public static func loadOrCreate(_ path: String) throws(CampaignSecretError) -> CampaignSecret {
        if let secret = try read(path) { return secret }
        var bytes = [UInt8](repeating: 0, count: 32)
        SymmetricKey(size: .bits256).withUnsafeBytes { bytes = Array($0) }
        let text = Array((bytes.map { String(format: "%02x", $0) }.joined() + "\n").utf8)
        // O_EXCL: when two commands make it at once, the second reads the first's.
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        if descriptor < 0 {
            if errno == EEXIST, let secret = try read(path) { return secret }
            throw CampaignSecretError(path: path, reason: "cannot be created (\(String(cString: strerror(errno)))); make its folder writable")
        }
        defer { close(descriptor) }
        do { try DurableWrite.append(text, to: descriptor) } catch {
            unlink(path)
            throw CampaignSecretError(path: path, reason: "cannot be written (\(error.reason))")
        }
        return CampaignSecret(key: SymmetricKey(data: bytes))
    }

    private static func read(_ path: String) throws(CampaignSecretError) -> CampaignSecret? {
        guard let data = FileManager.default.contents(atPath: path) else {
            if FileManager.default.fileExists(atPath: path) { throw CampaignSecretError(path: path, reason: "cannot be read; check its permissions") }
            return nil
        }
        let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        var bytes: [UInt8] = []
        var index = text.startIndex
        while index < text.endIndex, let next = text.index(index, offsetBy: 2, limitedBy: text.endIndex), let byte = UInt8(text[index..<next], radix: 16) {
            bytes.append(byte)
            index = next
        }
        guard bytes.count == 32, index == text.endIndex else {
            throw CampaignSecretError(path: path, reason: "is not a campaign secret (64 hex digits); restore it from a backup, or delete it to make a new one (the tokens of letters already sent will no longer be recognised)")
        }
        return CampaignSecret(key: SymmetricKey(data: bytes))
    }

    /// A key of its own for one purpose, so a token of one kind is no use as another.
    func subkey(_ purpose: String) -> SymmetricKey {
        SymmetricKey(data: HMAC<SHA256>.authenticationCode(for: Array(purpose.utf8), using: key))
    }
}

/// The campaign secret cannot be read or made.
public struct CampaignSecretError: Error, Sendable, CustomStringConvertible {
    public let path: String
    public let reason: String

    public var description: String { "\(path): the campaign secret \(reason)" }
}

