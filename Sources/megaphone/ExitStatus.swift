import MegaphoneBounces
import MegaphoneCampaign
import MegaphoneData
import MegaphoneDelivery
import MegaphoneLog
import MegaphoneSend
import MegaphoneSignatures
import MegaphoneTemplate
import MegaphoneWeb

/// The one mapping from what went wrong, in each module's terms, to the sysexits
/// status `megaphone` exits with. Libraries never carry exit codes.
extension Status {
    init(_ error: LogError) {
        switch error.code {
        case .damaged: self = .dataError
        case .inUse: self = .temporaryFailure
        case .unwritable: self = .cannotCreate
        }
    }

    init(_ error: DeliveryError) {
        self = error.kind == .configuration ? .config : .unavailable
    }

    init(_ error: SpoolError) {
        self = error.kind == .unwritable ? .cannotCreate : .temporaryFailure
    }

    init(_ error: StoreError) {
        switch error.code {
        case .missing: self = .noInput
        case .cannotCreate: self = .cannotCreate
        case .damaged: self = .dataError
        }
    }

    init(_ error: BounceError) {
        switch error.code {
        case .noInput: self = .noInput
        case .unavailable: self = .unavailable
        case .config: self = .config
        case .inUse: self = .temporaryFailure
        case .cannotCreate: self = .cannotCreate
        case .data: self = .dataError
        }
    }

    init(_ error: WebStartError) {
        switch error.cause {
        case .campaign: self = .dataError
        case .settings: self = .config
        case .duplicateName: self = .usage
        case .store(let store): self = Status(store)
        case .log(let log): self = Status(log)
        case .outbox: self = .cannotCreate
        case .addressInUse: self = .unavailable
        }
    }

    init(_ error: TemplateFileError) {
        self = error.reason == .notUTF8 ? .dataError : .noInput
    }

    init(_ error: DataError) {
        self = error.kind == .missingFile ? .noInput : .dataError
    }

    /// Diagnostics from checking a campaign: a missing file is 66, anything else 65.
    init(_ diagnostics: [CampaignDiagnostic]) {
        self = diagnostics.filter { $0.severity == .error }.contains(where: \.isMissingFile) ? .noInput : .dataError
    }

    /// The status for a library error, or nil for one this table does not know.
    init?(libraryError error: any Error) {
        switch error {
        case let error as LogError: self = Status(error)
        case let error as DeliveryError: self = Status(error)
        case let error as SpoolError: self = Status(error)
        case let error as StoreError: self = Status(error)
        case let error as BounceError: self = Status(error)
        case let error as WebStartError: self = Status(error)
        case is TemplateError: self = .dataError
        case let error as TemplateFileError: self = Status(error)
        case let error as DataError: self = Status(error)
        default: return nil
        }
    }
}
