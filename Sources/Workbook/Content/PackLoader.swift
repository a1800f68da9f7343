import Foundation

/// A pack file that was not loaded, and why.
public struct PackProblem: Sendable, Equatable {
    /// The file's name (not its full path).
    public let file: String
    /// A readable reason, naming the JSON path where it applies.
    public let reason: String

    /// Memberwise initializer.
    public init(file: String, reason: String) {
        self.file = file; self.reason = reason
    }
}

extension WorkbookCatalog {
    /// The file name reported for the embedded default pack.
    public static let standardPackFile = "solidarity.json (embedded)"

    /// The embedded default pack ("Workshopping Solidarity"), validated on first use.
    public static let standardPack: Pack = {
        do {
            return try PackValidator.validate(Data(PackageResources.solidarity_json), file: standardPackFile)
        } catch {
            // The resource is compiled in and covered by tests: failing here is a programmer error.
            fatalError("embedded default pack is invalid: \(error)")
        }
    }()

    /// A catalog holding only the embedded default pack.
    public static let standard = WorkbookCatalog(packs: [standardPack])

    /// The default pack first, then every `*.json` in `packsDirectory` by file name; packs that fail
    /// validation or collide with an already-loaded workbook or item id are reported and skipped.
    public static func load(packsDirectory: String?) -> (catalog: WorkbookCatalog, problems: [PackProblem]) {
        var packs = [standardPack]
        var problems: [PackProblem] = []
        let files: [URL]
        do throws(WorkbookError) {
            files = try packFiles(in: packsDirectory)
        } catch {
            return (WorkbookCatalog(packs: packs), [PackProblem(file: packsDirectory ?? "", reason: error.reason)])
        }
        var packIds: Set<String> = [standardPack.id]
        var itemOwners = Dictionary(uniqueKeysWithValues: standardPack.allItemIds.map { ($0, standardPack.id) })
        for url in files {
            let file = url.lastPathComponent
            do throws(WorkbookError) {
                guard let data = try? Data(contentsOf: url) else {
                    throw WorkbookError.packInvalid(file: file, reason: "the file cannot be read")
                }
                let pack = try PackValidator.validate(data, file: file)
                if packIds.contains(pack.id) {
                    throw WorkbookError.packInvalid(
                        file: file, reason: "id: workbook \"\(pack.id)\" is already loaded")
                }
                let ids = pack.allItemIds
                if let clash = ids.first(where: { itemOwners[$0] != nil }) {
                    throw WorkbookError.packInvalid(
                        file: file, reason: "item id \"\(clash)\" is already used by workbook \"\(itemOwners[clash]!)\"")
                }
                packs.append(pack)
                packIds.insert(pack.id)
                for id in ids { itemOwners[id] = pack.id }
            } catch {
                problems.append(PackProblem(file: file, reason: error.reason))
            }
        }
        return (WorkbookCatalog(packs: packs), problems)
    }

    /// The `*.json` files directly inside `directory`, sorted by name; none when it is nil or absent.
    private static func packFiles(in directory: String?) throws(WorkbookError) -> [URL] {
        guard let directory else { return [] }
        let dir = URL(fileURLWithPath: directory, isDirectory: true)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDirectory) else { return [] }
        guard isDirectory.boolValue,
              let names = try? FileManager.default.contentsOfDirectory(atPath: dir.path) else {
            throw .packInvalid(file: directory, reason: "the packs directory cannot be read")
        }
        return names.filter { $0.hasSuffix(".json") }.sorted().map { dir.appendingPathComponent($0) }
    }
}

extension Pack {
    /// Every item id of the pack, depth first in reading order.
    var allItemIds: [String] {
        var ids: [String] = []
        func walk(_ items: [PackItem]) {
            for item in items {
                ids.append(item.id)
                walk(item.items ?? [])
            }
        }
        walk(items)
        return ids
    }
}

extension WorkbookError {
    /// The reason of a `.packInvalid`, or a description of any other error.
    fileprivate var reason: String {
        if case let .packInvalid(_, reason) = self { return reason }
        return String(describing: self)
    }
}
