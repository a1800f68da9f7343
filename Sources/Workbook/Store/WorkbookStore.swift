import Foundation
import GRDB

/// Options for opening a store.
public struct StoreOptions: Sendable {
    /// Largest answer text accepted, in UTF-8 bytes.
    public var maxAnswerBytes: Int
    /// How long a write waits for another connection's lock (several processes may share a file).
    public var busyTimeout: TimeInterval
    /// Open without writing anything (no migration, no file creation).
    public var readOnly: Bool
    /// The clock for every recorded time (tests inject a fixed one).
    public var clock: @Sendable () -> Date
    /// Where the store reports a problem that did not fail the request (never with answer text).
    public var warn: @Sendable (String) -> Void
    /// One connection (a `DatabaseQueue`) instead of a pool, for one-shot CLI calls: a pool primes a
    /// missing or empty -wal file with a durable write at every open (GRDB issue 102), which cost a
    /// read-only `workbook progress` four fsyncs and made it wait for any server's write lock.
    public var singleConnection = false

    /// Memberwise initializer with the defaults: 1 MiB, 5 s, writable, the system clock.
    public init(maxAnswerBytes: Int = 1 << 20, busyTimeout: TimeInterval = 5, readOnly: Bool = false,
                clock: @escaping @Sendable () -> Date = { Date() },
                warn: @escaping @Sendable (String) -> Void = StoreOptions.warnOnStandardError) {
        self.maxAnswerBytes = maxAnswerBytes; self.busyTimeout = busyTimeout; self.readOnly = readOnly
        self.clock = clock; self.warn = warn
    }

    /// The default `warn`: one line on stderr, where the server's logs go too.
    public static let warnOnStandardError: @Sendable (String) -> Void = { message in
        FileHandle.standardError.write(Data("workbook: warning: \(message)\n".utf8))
    }
}

/// The storage façade: every domain operation, each one transaction. Cheap to copy and share.
public struct WorkbookStore: Sendable {
    /// The database connection(s); handlers never need it (tests and benchmarks may).
    public let writer: any DatabaseWriter
    /// The loaded workbooks.
    public let catalog: WorkbookCatalog
    /// The database file, nil in memory.
    public let path: String?
    /// The options the store was opened with.
    public let options: StoreOptions

    /// The UUID made when the database was created (changes when another database is restored into it).
    public var databaseId: String {
        (try? writer.read { db in try String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'databaseId'") })
            .flatMap { $0 } ?? ""
    }

    /// Set on every connection. `secure_delete` zeroes freed cells, so deleted text leaves the file.
    /// `temp_store = MEMORY` keeps SQLite's statement and savepoint journals (every group-commit
    /// save runs in a savepoint) in memory: with the default they spilled into an unlinked file
    /// under /var/tmp, which put answer text on disk outside the database and cost two system
    /// calls per page (BENCHMARKS.md, finding 26). Public for the benchmark's storage floor.
    public static let connectionPragmas = "PRAGMA secure_delete = ON; PRAGMA synchronous = FULL; PRAGMA temp_store = MEMORY"

    /// Opens (creating when missing) the database file at `path`: WAL, synchronous=FULL, secure_delete,
    /// foreign keys, a busy timeout; parent directory 0700 and files 0600 when created here.
    public static func open(path: String, catalog: WorkbookCatalog,
                            options: StoreOptions = .init()) throws(WorkbookError) -> WorkbookStore {
        if !options.readOnly { try FileAccess.prepareDatabaseFile(path) }
        var config = Configuration()
        config.readonly = options.readOnly
        config.foreignKeysEnabled = true
        config.busyMode = .timeout(options.busyTimeout)
        config.prepareDatabase { db in try db.execute(sql: connectionPragmas) }
        do {
            let writer: any DatabaseWriter
            if options.singleConnection {
                // After the pragmas above (GRDB runs these in order); a no-op on a file already in WAL.
                if !options.readOnly { config.prepareDatabase { db in try db.execute(sql: "PRAGMA journal_mode = WAL") } }
                writer = try DatabaseQueue(path: path, configuration: config)
            } else {
                // More readers than the threads that read (event loops + thread pool), so a read on
                // an event loop never waits for a free connection.
                config.maximumReaderCount = 16
                let pool = try DatabasePool(path: path, configuration: config)
                // GRDB sets synchronous=NORMAL on the writer when it enables WAL, after prepareDatabase.
                if !options.readOnly {
                    try pool.writeWithoutTransaction { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
                }
                writer = pool
            }
            // After the pool made the file (and its WAL) exist; a one-shot call needs no cache.
            let cache = options.singleConnection ? nil : try ProgressCache(path: path, configuration: config)
            let store = WorkbookStore(writer: writer, catalog: catalog, path: path, options: options, progressCache: cache)
            try store.setUp()
            return store
        } catch {
            throw StorageErrors.map(error)
        }
    }

    /// An in-memory database (tests, `--database :memory:`).
    public static func inMemory(catalog: WorkbookCatalog = .standard,
                                options: StoreOptions = .init()) throws(WorkbookError) -> WorkbookStore {
        var config = Configuration()
        config.foreignKeysEnabled = true
        config.prepareDatabase { db in try db.execute(sql: connectionPragmas) }
        do {
            let queue = try DatabaseQueue(configuration: config)
            var memoryOptions = options
            memoryOptions.readOnly = false
            let store = WorkbookStore(writer: queue, catalog: catalog, path: nil, options: memoryOptions)
            try store.setUp()
            return store
        } catch {
            throw StorageErrors.map(error)
        }
    }

    /// The database file's device and inode when opened (see `checkFileInPlace`).
    private let fileIdentity: FileAccess.Identity?
    /// Whether a WAL truncate after a delete is still owed (shared by copies).
    let scrub = ScrubState()
    /// The search index changes of the transaction being written (shared by copies).
    let answerIndex: AnswerIndex
    /// Concurrent answer saves committed together (shared by copies).
    let groupCommit: GroupCommit
    /// Told of every committed write (shared by copies).
    let commitListeners = CommitListeners()
    /// Recent `progress.get` results (shared by copies); the server's pool only.
    let progressCache: ProgressCache?

    init(writer: any DatabaseWriter, catalog: WorkbookCatalog, path: String?, options: StoreOptions,
         progressCache: ProgressCache? = nil) {
        self.writer = writer; self.catalog = catalog; self.path = path; self.options = options
        fileIdentity = path.flatMap(FileAccess.identity)
        self.progressCache = progressCache
        answerIndex = AnswerIndex()
        groupCommit = GroupCommit(writer: writer, index: answerIndex)
    }

    /// Migrates, records the database id once, and refreshes the prompt search index.
    private func setUp() throws {
        if options.readOnly {
            let ok = try writer.read { db in try db.tableExists("meta") }
            if !ok { throw WorkbookError.storageFailure(kind: .storageCorrupt, reason: "not a workbook database") }
            return
        }
        // A database already migrated, identified and indexed needs no write: a one-shot CLI call then
        // opens it without a commit to fsync or a write lock to wait for.
        let ready = try writer.read { db in
            try Migrations.migrator.hasCompletedMigrations(db)
                && String.fetchOne(db, sql: "SELECT value FROM meta WHERE key = 'databaseId'") != nil
                && stalePromptIndexes(db).isEmpty
        }
        if !ready {
            try Migrations.migrator.migrate(writer)
            let now = timestamp()
            try writer.write { db in
                try db.execute(sql: "INSERT OR IGNORE INTO meta(key, value) VALUES ('databaseId', ?), ('created', ?)",
                               arguments: [RandomID.make(), now])
                try syncPromptIndex(db)
            }
        }
        retryScrubIfPending(atOpen: true)
    }

    /// The current time, formatted.
    func timestamp() -> String { Timestamp.string(options.clock()) }

    /// One write transaction; every error is mapped once. `grouped` writes (answer saves) may share
    /// their transaction and its fsync with others arriving at the same time (see `GroupCommit`).
    func write<T>(grouped: Bool = false, _ body: (Database) throws -> T) throws(WorkbookError) -> T {
        if options.readOnly { throw WorkbookError.readOnly(reason: "the store was opened read-only") }
        let result: T
        do {
            if grouped {
                result = try groupCommit.perform(body)
            } else {
                result = try writer.write { db in
                    answerIndex.reset()
                    let result = try body(db)
                    try answerIndex.apply(db)
                    return result
                }
            }
        } catch {
            throw StorageErrors.map(error)
        }
        try afterCommit()
        return result
    }

    /// A grouped write that returns at once: `completion` gets its result (or the mapped error) on
    /// the group-commit thread, once the transaction that holds it is committed.
    func writeGrouped<T: Sendable>(_ body: @escaping (Database) throws -> T,
                                   completion: @escaping @Sendable (Result<T, WorkbookError>) -> Void) {
        if options.readOnly { return completion(.failure(.readOnly(reason: "the store was opened read-only"))) }
        let slot = Slot<T>()
        groupCommit.submit({ db in slot.value = try body(db) }) { error in
            if let error { return completion(.failure(StorageErrors.map(error))) }
            guard let value = slot.value else { return completion(.failure(StorageErrors.map(GroupCommit.NoResult()))) }
            completion(Result { () throws(WorkbookError) in try afterCommit(); return value })
        }
    }

    /// Waits for a write started in the completion form (`start` passes it the completion).
    func waitFor<T: Sendable>(_ start: (@escaping @Sendable (Result<T, WorkbookError>) -> Void) -> Void) throws(WorkbookError) -> T {
        let slot = Slot<Result<T, WorkbookError>>(), done = DispatchSemaphore(value: 0)
        start { result in slot.value = result; done.signal() }
        done.wait()
        return try slot.value!.get()
    }

    /// What every acknowledged write does after its commit: tell the listeners, refuse to
    /// acknowledge a write to a file that was replaced, and finish a scrub still owed.
    private func afterCommit() throws(WorkbookError) {
        commitListeners.committed()
        try checkFileInPlace()
        retryScrubIfPending()
    }

    /// SQLite (in WAL mode) goes on committing to a database file that was deleted or replaced under
    /// it, and those commits are gone at the next start: such a write must not be acknowledged.
    func checkFileInPlace() throws(WorkbookError) {
        guard let path, let fileIdentity, FileAccess.identity(path) != fileIdentity else { return }
        throw .storageFailure(kind: .storageIO,
                              reason: "the database file \(path) was deleted or replaced while in use; restart the server")
    }

    /// One read (a consistent snapshot); every error is mapped once.
    func read<T>(_ body: (Database) throws -> T) throws(WorkbookError) -> T {
        do { return try writer.read(body) } catch { throw StorageErrors.map(error) }
    }

    /// Keeps `prompts_fts` equal to the catalog's prompt texts (rows of other workbooks are left alone).
    private func syncPromptIndex(_ db: Database) throws {
        for (pack, wanted) in try stalePromptIndexes(db) {
            try db.execute(sql: "DELETE FROM prompts_fts WHERE workbookId = ?", arguments: [pack.id])
            for pair in wanted {
                try db.execute(sql: "INSERT INTO prompts_fts(workbookId, promptId, text) VALUES (?, ?, ?)",
                               arguments: [pack.id, pair[0], pair[1]])
            }
        }
    }

    /// The packs whose indexed prompt texts differ from the catalog's, with the (id, text) pairs wanted.
    private func stalePromptIndexes(_ db: Database) throws -> [(Pack, [[String]])] {
        try catalog.packs.compactMap { pack in
            let wanted = catalog.prompts(in: pack.id).map { [$0.prompt.id, $0.prompt.text] }
            let stored = try Row.fetchAll(db, sql: "SELECT promptId, text FROM prompts_fts WHERE workbookId = ? ORDER BY rowid",
                                          arguments: [pack.id]).map { [$0[0] as String, $0[1] as String] }
            return stored == wanted ? nil : (pack, wanted)
        }
    }
}
