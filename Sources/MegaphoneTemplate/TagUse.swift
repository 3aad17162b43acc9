/// Where a template prints a value: a variable tag, with the sections around it.
/// Lets a caller ask, for instance, whether an optional field is printed without a
/// section that hides it when empty ("Dear ,"), or whether a value lands in a letter.
public struct TagUse: Sendable, Hashable {
    /// The name as written (`signer.organisation`, `name`, `.`).
    public let name: String
    /// Where the name is in the template's file.
    public let location: SourceLocation
    /// The source line, for showing under a diagnostic.
    public let sourceLine: String
    /// The names of the sections that enclose the tag, outermost first; an inverted
    /// section (`{{^x}}`) is written `^x`.
    public let sections: [String]
    /// Whether a `default` filter gives the tag a value when the name has none or it is empty.
    public let hasDefault: Bool
}

extension Template {
    /// Every variable tag of the template (partials not followed), in source order.
    public var tagUses: [TagUse] {
        var uses: [TagUse] = []
        let source = program.source
        func visit(_ nodes: [Node], sections: [String]) {
            for node in nodes {
                switch node {
                case .variable(let expression, _):
                    let location = source.location(ofOffset: expression.offset)
                    uses.append(TagUse(name: expression.text, location: location, sourceLine: source.lineText(location.line),
                                       sections: sections, hasDefault: expression.allowsMissing))
                case .section(let section):
                    visit(section.children, sections: sections + [(section.inverted ? "^" : "") + section.expression.text])
                case .block(let block): visit(block.children, sections: sections)
                case .parent(let parent): for block in parent.blocks { visit(block.children, sections: sections) }
                case .text, .partial: break
                }
            }
        }
        visit(program.nodes, sections: [])
        return uses
    }
}
