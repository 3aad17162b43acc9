import Foundation

/// Where a listing of confirmed signatures stopped: the last one's confirmation time and id.
public struct ListPosition: Sendable, Equatable {
    public var time: Double
    public var id: Int64

    public init(after signature: Signature) {
        time = signature.confirmedAt?.timeIntervalSince1970 ?? 0
        id = signature.id
    }
}
