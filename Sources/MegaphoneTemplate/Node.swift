/// One element of a compiled template tree.
indirect enum Node: Sendable {
    /// Literal text, kept as UTF-8 bytes ready to append.
    case text([UInt8])
    /// `{{name}}` (escaped in HTML output) or `{{{name}}}` / `{{& name}}`.
    case variable(Expression, escaped: Bool)
    /// `{{#name}}…{{/name}}` or `{{^name}}…{{/name}}`.
    case section(SectionNode)
    /// `{{> name}}` or `{{> *dynamic}}`.
    case partial(PartialNode)
    /// `{{< parent}}{{$block}}…{{/block}}{{/parent}}`.
    case parent(ParentNode)
    /// `{{$block}}default{{/block}}`.
    case block(BlockNode)
}

/// A section and the nodes it holds.
struct SectionNode: Sendable {
    let expression: Expression
    let inverted: Bool
    let children: [Node]
    /// The section's source text, handed to a lambda.
    let rawInner: String
    /// The delimiters in force inside the section, for rendering a lambda's result.
    let delimiters: Delimiters
}

/// How a partial or parent tag names its template.
enum TemplateReference: Sendable {
    /// `{{> name}}`.
    case fixed(String)
    /// `{{> *name}}`: the template's name is the value of `name` in the context.
    case dynamic(Name, text: String)
    /// A dynamic name that cannot resolve (`{{> **x}}`); renders nothing.
    case invalid
}

/// A partial inclusion.
struct PartialNode: Sendable {
    let reference: TemplateReference
    /// For a standalone tag, the white space before it, prepended to every line of the partial.
    let indentation: String
    let offset: Int
}

/// A parent (parametric partial) with the blocks that override its own.
struct ParentNode: Sendable {
    let reference: TemplateReference
    let indentation: String
    let blocks: [BlockNode]
    let offset: Int
}

/// A block: a named, overridable piece of template.
struct BlockNode: Sendable {
    let name: String
    let children: [Node]
    /// The block's source text: the default content, or the override when inside a parent.
    let rawInner: String
    /// True when the opening tag stands alone on its line: the block's content is
    /// then re-indented to where it is expanded.
    let standalone: Bool
    /// The white space before a standalone opening tag.
    let lineIndentation: String
    let delimiters: Delimiters

    /// The content with its common indentation removed (when standalone), and that indentation.
    var dedented: (text: String, indentation: String) {
        guard standalone else { return (rawInner, "") }
        return TextIndentation.dedent(rawInner)
    }
}
