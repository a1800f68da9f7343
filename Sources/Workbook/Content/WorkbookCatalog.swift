import Foundation

/// Where a prompt sits: its workbook, its section and its place in reading order.
public struct PromptLocation: Sendable, Equatable {
    /// The workbook (pack) id.
    public let workbookId: String
    /// The innermost section holding the prompt.
    public let sectionId: String
    /// The prompt item itself.
    public let prompt: PackItem
    /// 0-based index among the workbook's prompts in reading order.
    public let index: Int
}

/// The loaded packs, indexed for lookups by id. Immutable and cheap to share.
public struct WorkbookCatalog: Sendable {
    /// Packs in load order; the first is the default workbook.
    public let packs: [Pack]
    private let packIndex: [String: Int]
    private let itemIndex: [String: (workbookId: String, item: PackItem)]
    private let promptIndex: [String: PromptLocation]
    private let promptsByWorkbook: [String: [PromptLocation]]

    /// The id of the workbook used when a request names none.
    public var defaultWorkbookId: String { packs.first?.id ?? "" }

    /// Indexes `packs`; ids must be unique across all of them (the loader guarantees it).
    public init(packs: [Pack]) {
        self.packs = packs
        var packIndex: [String: Int] = [:]
        var itemIndex: [String: (workbookId: String, item: PackItem)] = [:]
        var promptIndex: [String: PromptLocation] = [:]
        var byWorkbook: [String: [PromptLocation]] = [:]
        for (n, pack) in packs.enumerated() {
            packIndex[pack.id] = n
            var ordered: [PromptLocation] = []
            func walk(_ items: [PackItem], section: String) {
                for item in items {
                    itemIndex[item.id] = (pack.id, item)
                    switch item.kind {
                    case .section: walk(item.items ?? [], section: item.id)
                    case .prompt:
                        let loc = PromptLocation(workbookId: pack.id, sectionId: section, prompt: item,
                                                 index: ordered.count)
                        ordered.append(loc)
                        promptIndex[item.id] = loc
                    case .context: break
                    }
                }
            }
            walk(pack.items, section: pack.id)
            byWorkbook[pack.id] = ordered
        }
        self.packIndex = packIndex
        self.itemIndex = itemIndex
        self.promptIndex = promptIndex
        self.promptsByWorkbook = byWorkbook
    }

    /// The pack with this id.
    public func pack(_ id: String) -> Pack? { packIndex[id].map { packs[$0] } }

    /// Any item (section, context or prompt) by id, with its workbook.
    public func item(_ id: String) -> (workbookId: String, item: PackItem)? { itemIndex[id] }

    /// A prompt by id; nil for unknown ids and for ids of sections or context items.
    public func prompt(_ id: String) -> PromptLocation? { promptIndex[id] }

    /// The workbook's prompts in reading order (empty for an unknown workbook).
    public func prompts(in workbookId: String) -> [PromptLocation] { promptsByWorkbook[workbookId] ?? [] }
}
