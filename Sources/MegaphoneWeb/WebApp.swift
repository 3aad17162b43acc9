import Foundation
public import Hummingbird
import ServiceLifecycle
public import Logging
public import MegaphoneCampaign
import MegaphoneMail
import MegaphoneLog
import MegaphoneOutbox
public import MegaphoneSignerMail
import MegaphoneSignatures
import NIOCore

/// The supporters' front door for one or more campaigns: their pages, stores, signer
/// mail and the organiser's page. `router()` is what the server runs and what route
/// tests call; `run()` serves until SIGTERM or SIGINT, then drains and closes.
public final class WebApp: Sendable {
    /// What the controllers share: campaigns, signer mail, forms' tokens, settings, log.
    let site: Site
    let campaignPages: CampaignController
    let tokens: TokenController
    let admin: AdminController
    var campaigns: [String: WebCampaign] { site.campaigns }
    var order: [String] { site.order }
    var mailers: [String: SignerMailService] { site.mailers }
    var settings: WebSettings { site.settings }
    var logger: Logger { site.logger }

    /// Opens every campaign's store (creating it), pages, and send logs (locked).
    /// - Parameter campaigns: each opened campaign with how its signer mail is delivered.
    public init(campaigns list: [(Campaign, SignerMailSettings)], settings: WebSettings, logger: Logger) throws(WebStartError) {
        var campaigns: [String: WebCampaign] = [:]
        var order: [String] = []
        var mails: [String: SignerMail] = [:]
        var mailers: [String: SignerMailService] = [:]
        var stores: [String: SignatureStore] = [:]
        var unsubscribing: [Campaign] = []
        for (campaign, options) in list {
            let manifest = campaign.manifest
            if manifest.unsubscribe != nil {
                guard manifest.baseURL == settings.baseURL else {
                    throw WebStartError(.settings, "\(manifest.path): error: the campaign's \"base_url\" (\(manifest.baseURL ?? "none")) is not where this server answers (\(settings.baseURL)); its unsubscribe links would lead elsewhere: give --base-url \(manifest.baseURL ?? "…") or correct \"base_url\"")
                }
                unsubscribing.append(campaign)
                if manifest.page == nil { continue }
            }
            guard manifest.page != nil else {
                throw WebStartError(.campaign, "\(manifest.path): error: the campaign has no \"page\" to serve and no \"unsubscribe\" links to answer; add \"page\": {\"title\": …} (see docs/pages.md)")
            }
            guard let storePath = manifest.signerStore else {
                throw WebStartError(.campaign, "\(manifest.path): error: the campaign has a \"page\" but no signature store; add \"signers\": {\"store\": \"data/signatures.sqlite\"}")
            }
            guard campaigns[manifest.name] == nil else {
                throw WebStartError(.duplicateName, "\(manifest.path): error: two campaigns are named '\(manifest.name)'; each served campaign needs its own \"name\"")
            }
            let store: SignatureStore
            do {
                let key = URL(fileURLWithPath: storePath).standardizedFileURL.path
                if let open = stores[key] { store = open } else {
                    store = try SignatureStore(path: storePath, create: true)
                    stores[key] = store
                }
            } catch {
                throw WebStartError(.store(error), error.description)
            }
            let web: WebCampaign
            do { web = try WebCampaign(campaign: campaign, store: store) } catch {
                throw WebStartError(.campaign, "\(error)")
            }
            do { mails[manifest.name] = try SignerMail(campaign: web, baseURL: settings.baseURL) } catch {
                throw WebStartError(.campaign, "\(error)")
            }
            // The outbox must be usable before the first supporter signs.
            do { try options.delivery.target.checkWritable() } catch {
                throw WebStartError(.outbox, "\(error)")
            }
            do {
                mailers[manifest.name] = try SignerMailService(campaign: campaign, store: store, letters: web.isLetterPage, settings: options, logger: logger)
            } catch {
                throw WebStartError(.log(error), error.description)
            }
            campaigns[manifest.name] = web
            order.append(manifest.name)
        }
        let plainPages: PageRenderer
        do { plainPages = try PageRenderer(language: unsubscribing.first?.manifest.locale ?? "en", overrides: nil) } catch {
            throw WebStartError(.campaign, "\(error)")
        }
        site = Site(campaigns: campaigns, order: order, mails: mails, mailers: mailers, settings: settings, logger: logger,
                    unsubscribing: unsubscribing, plainPages: plainPages)
        campaignPages = CampaignController(site: site, limiter: IPRateLimit(settings.perIP))
        tokens = TokenController(site: site)
        admin = AdminController(site: site)
    }

    /// The served campaigns' names, in the order given.
    public var campaignNames: [String] { order }

    /// Campaigns served only for their one-click unsubscribe links (no page).
    public var unsubscribeOnlyNames: [String] {
        site.unsubscribing.map(\.manifest.name).filter { !order.contains($0) }
    }

    /// Starts sending what the stores hold for signers (left over from an earlier run,
    /// too), outside a server: `run()` runs the same services beside the HTTP server.
    public func startMailers() {
        for name in order {
            guard let mailer = mailers[name] else { continue }
            Task.detached { try? await mailer.run() }
        }
    }

    /// Finishes the email in hand and stops; what is still queued stays in the stores.
    public func stopMailers() {
        for name in order { mailers[name]?.stop() }
    }

    /// Emails still waiting in the stores.
    public func queuedMailCount() -> Int {
        var seen: Set<String> = []
        var total = 0
        for campaign in campaigns.values where seen.insert(campaign.store.path).inserted {
            total += (try? campaign.store.unsentMailCount()) ?? 0
        }
        return total
    }

    /// The application, as Hummingbird's examples build one: the router, the guarded
    /// HTTP/1 channel in front of it, and each campaign's signer mail as a service beside
    /// the server, stopping (the email in hand finished) when it does.
    public func buildApplication(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) -> some ApplicationProtocol {
        var app = Application(
            router: router(),
            server: GuardedHTTP1Channel.builder(limits: settings.limits, limiter: ConnectionLimiter(settings.limits), headers: site.securityHeaders,
                                               texts: GuardTexts(pages: site.defaultPages)),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "megaphone"),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
        app.addServices(order.compactMap { mailers[$0] } as [any Service])
        return app
    }

    /// Serves on `settings.host:port` until SIGTERM/SIGINT: then stops accepting,
    /// finishes requests in flight, finishes the email in hand, and returns.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = buildApplication(onRunning: onRunning)
        defer { stopMailers() }
        do {
            try await app.runService()
        } catch let error as IOError where error.errnoCode == EADDRINUSE {
            throw WebStartError(.addressInUse, "cannot listen on \(settings.host):\(settings.port): the address is already in use (another server?); stop it or choose another --listen")
        }
    }

}

