import MegaphoneMail
import Testing

@Suite struct SHA256Tests {
    @Test func knownDigests() {
        // FIPS 180-4 examples: empty, one block, two blocks (56 bytes needs a second padding block).
        #expect(SHA256.hex([UInt8]()) == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(SHA256.hex(Array("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(SHA256.hex(Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8))
            == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func piecesHashLikeTheWhole() {
        let bytes = [UInt8](repeating: UInt8(ascii: "a"), count: 1000) + (0..<3).flatMap { _ in (0...255).map(UInt8.init) }
        let whole = SHA256.hex(bytes)
        #expect(whole == "cde7dd2a388fedcbdb606d2b7bad31d4ca3f40f1765ad7ee08108f3a4e70dc16")
        for split in [1, 63, 64, 65, 127, 1000] {
            var hasher = SHA256()
            hasher.update(bytes[..<split])
            hasher.update(bytes[split...].lazy.map { $0 })   // a non-contiguous sequence
            let digest = hasher.finalize()
            #expect(digest.count == 32)
            #expect(digest.map { String($0 >> 4, radix: 16) + String($0 & 15, radix: 16) }.joined() == whole)
        }
    }
}
