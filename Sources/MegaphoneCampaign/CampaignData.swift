import Foundation
import MegaphoneData
import MegaphoneValue

/// The campaign's data files (`"data"`), merged into the values every message sees,
/// with their language versions: beside `demands.txt`, a `demands.ru.txt` gives the
/// demands of letters in Russian, as `letter.ru.txt` gives their template.
struct CampaignData: Sendable {
    /// The data in the campaign's own language.
    let base: Value
    /// For each language with a version of some file: the base with those versions laid over it.
    let byLanguage: [String: Value]
    /// Each top-level name the files give, with the file and the languages it has versions in.
    let sources: [String: Source]

    struct Source: Sendable {
        let path: String
        let languages: Set<String>
    }

    /// Loads `files`, looking beside each for versions in `languages`.
    static func load(_ files: [String], languages: Set<String>) -> (CampaignData, [CampaignDiagnostic]) {
        var problems: [CampaignDiagnostic] = []
        var base = Value.object([:])
        var layers: [String: Value] = [:]
        var sources: [String: Source] = [:]
        for file in files {
            let listName = TextListLoader.listName(for: file)
            guard let value = read(file, listName: listName, problems: &problems) else { continue }
            base = base.merging(value)
            var found: Set<String> = []
            for language in languages.sorted() {
                let version = versionPath(of: file, language: language)
                guard FileManager.default.fileExists(atPath: version), let translated = read(version, listName: listName, problems: &problems) else { continue }
                layers[language] = (layers[language] ?? .object([:])).merging(translated)
                found.insert(language)
            }
            if case .object(let members) = value {
                for key in members.keys { sources[key] = Source(path: file, languages: found) }
            }
        }
        let byLanguage = layers.mapValues { base.merging($0) }
        return (CampaignData(base: base, byLanguage: byLanguage, sources: sources), problems)
    }

    /// `data/demands.txt` in `ru` → `data/demands.ru.txt`.
    static func versionPath(of file: String, language: String) -> String {
        let url = URL(fileURLWithPath: file)
        let ext = url.pathExtension
        let folder = (file as NSString).deletingLastPathComponent
        let name = url.deletingPathExtension().lastPathComponent + ".\(language)" + (ext.isEmpty ? "" : ".\(ext)")
        return folder.isEmpty ? name : folder + "/" + name
    }

    /// One file as an object: a `.txt` list under its name, or a JSON object.
    /// `listName` names a `.txt` list (a version carries its base file's name).
    private static func read(_ file: String, listName: String, problems: inout [CampaignDiagnostic]) -> Value? {
        do {
            if file.hasSuffix(".txt") {
                let list = try TextListLoader.loadList(file)
                if let warning = list.warning {
                    problems.append(CampaignDiagnostic(.warning, path: warning.path, line: warning.line, message: warning.message))
                }
                return .object([listName: .array(list.items.map(Value.string))])
            }
            let value = try JSONLoader.load(file)
            guard case .object = value else {
                problems.append(CampaignDiagnostic(path: file, line: 1, column: 1, message: "a data file must hold a JSON object ({ \"name\": … }), not \(value.kindName)"))
                return nil
            }
            return value
        } catch {
            problems.append(CampaignDiagnostic(error))
            return nil
        }
    }
}
