import Crypto
import MegaphoneDigest
import Testing

/// The hand-written SHA-256 gave way to swift-crypto; its vectors stay, so the
/// fingerprints, Message-IDs and outbox names the project derives stay the same.
@Suite struct CryptoTextTests {
    @Test func knownDigests() {
        // FIPS 180-4 examples: empty, one block, two blocks (56 bytes needs a second padding block).
        #expect(CryptoText.sha256([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(CryptoText.sha256(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(CryptoText.sha256(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func piecesHashLikeTheWhole() {
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 1000) + (0..<3).flatMap { _ in (0...255).map(UInt8.init) }
        let whole = CryptoText.sha256(bytes)
        #expect(whole == "cde7dd2a388fedcbdb606d2b7bad31d4ca3f40f1765ad7ee08108f3a4e70dc16")
        #expect(CryptoText.sha256(bytes.lazy.map { $0 }) == whole)   // a collection without contiguous storage
        for split in [1, 63, 64, 65, 127, 1000] {
            let digest = CryptoText.sha256(pieces: [Array(bytes[..<split]), Array(bytes[split...])])
            #expect(digest.count == 32)
            #expect(CryptoText.hex(digest) == whole)
            var hasher = SHA256()
            hasher.update(data: bytes[..<split])
            hasher.update(data: bytes[split...])
            #expect(CryptoText.hex(hasher.finalize()) == whole)
        }
    }

    @Test func hexRoundTrips() {
        let bytes: [UInt8] = [0, 1, 0x7f, 0x80, 0xab, 0xff]
        #expect(CryptoText.hex(bytes) == "00017f80abff")
        #expect(CryptoText.bytes(fromHex: "00017F80abff") == bytes)
        #expect(CryptoText.bytes(fromHex: "abc") == nil)
        #expect(CryptoText.bytes(fromHex: "zz") == nil)
    }

    @Test func randomBytesDiffer() {
        let first = CryptoText.randomBytes(45)
        let second = CryptoText.randomBytes(45)
        #expect(first.count == 45 && second.count == 45)
        #expect(first != second)
        #expect(Set(first).count > 10)
    }
}
