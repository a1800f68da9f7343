import Foundation
import GRDB

extension WorkbookStore {
    /// `passes.list`: passes of one workbook (every pass when nil), newest first.
    public func passesList(_ params: PassesListParams) throws(WorkbookError) -> [Pass] {
        if let id = params.workbookId { try requireWorkbook(id) }
        return try read { db in
            var sql = "SELECT \(Rows.passColumns) FROM passes"
            var args: StatementArguments = []
            if let id = params.workbookId { sql += " WHERE workbookId = ?"; args = [id] }
            return try Row.fetchAll(db, sql: sql + " ORDER BY startedAt DESC, rowid DESC", arguments: args).map(Rows.pass)
        }
    }

    /// `passes.start`: a new open pass (appends `pass.started`).
    public func passesStart(_ params: PassesStartParams, client: String) throws(WorkbookError) -> Pass {
        try requireWorkbook(params.workbookId)
        if let title = params.title { try checkNoNUL(title, field: "title") }
        let now = timestamp()
        return try write { db in try createPass(db, workbookId: params.workbookId, title: params.title, at: now, client: client) }
    }

    /// `passes.get`.
    public func passesGet(_ params: PassesGetParams) throws(WorkbookError) -> Pass {
        try read { db in try requirePass(db, params.passId) }
    }

    /// `passes.close`: idempotent; appends `pass.closed` only the first time.
    public func passesClose(_ params: PassesCloseParams, client: String) throws(WorkbookError) -> Pass {
        let now = timestamp()
        return try write { db in
            var pass = try requirePass(db, params.passId)
            if !pass.isOpen { return pass }
            try db.execute(sql: "UPDATE passes SET closedAt = ? WHERE id = ?", arguments: [now, pass.id])
            try Self.appendChange(db, .passClosed, workbookId: pass.workbookId, passId: pass.id, at: now, client: client)
            pass.closedAt = now
            return pass
        }
    }

    /// Throws `workbookNotFound` unless the catalog holds `workbookId`.
    func requireWorkbook(_ workbookId: String) throws(WorkbookError) {
        if catalog.pack(workbookId) == nil { throw .workbookNotFound(workbookId: workbookId) }
    }

    /// The pass with this id, or `passNotFound`.
    func requirePass(_ db: Database, _ passId: String) throws -> Pass {
        guard let row = try Row.fetchOne(db.cachedStatement(sql: "SELECT \(Rows.passColumns) FROM passes WHERE id = ?"), arguments: [passId])
        else { throw WorkbookError.passNotFound(passId: passId) }
        return Rows.pass(row)
    }

    /// The workbook's newest pass (by start time), open or closed, or only open ones.
    func newestPass(_ db: Database, workbookId: String, openOnly: Bool) throws -> Pass? {
        let filter = openOnly ? " AND closedAt IS NULL" : ""
        return try Row.fetchOne(db.cachedStatement(sql: """
            SELECT \(Rows.passColumns) FROM passes WHERE workbookId = ?\(filter)
            ORDER BY startedAt DESC, rowid DESC LIMIT 1
            """), arguments: [workbookId]).map(Rows.pass)
    }

    /// Inserts a pass and appends `pass.started`.
    func createPass(_ db: Database, workbookId: String, title: String?, at: String, client: String) throws -> Pass {
        let pass = Pass(id: RandomID.make(), workbookId: workbookId, title: title, startedAt: at, closedAt: nil)
        try db.execute(sql: "INSERT INTO passes(id, workbookId, title, startedAt) VALUES (?, ?, ?, ?)",
                       arguments: [pass.id, workbookId, title, at])
        try Self.appendChange(db, .passStarted, workbookId: workbookId, passId: pass.id, at: at, client: client)
        return pass
    }

    /// A named pass must belong to `workbookId`: a pass of another workbook is an invalid argument
    /// naming `field` (the param that named the pass).
    func checkPass(_ pass: Pass, belongsTo workbookId: String, field: String = "passId") throws {
        if pass.workbookId != workbookId {
            throw WorkbookError.invalidArgument(
                field: field, reason: "pass \(pass.id) belongs to workbook \(pass.workbookId), not \(workbookId)")
        }
    }

    /// The pass a read uses: the named one, else the workbook's newest (open or closed); nil when none.
    func readPass(_ db: Database, workbookId: String, passId: String?) throws -> Pass? {
        guard let passId else { return try newestPass(db, workbookId: workbookId, openOnly: false) }
        let pass = try requirePass(db, passId)
        try checkPass(pass, belongsTo: workbookId)
        return pass
    }

    /// The pass a write uses: the named one (must be open), else the newest open one, created when none.
    func writePass(_ db: Database, workbookId: String, passId: String?, at: String, client: String) throws -> Pass {
        if let passId {
            let pass = try requirePass(db, passId)
            try checkPass(pass, belongsTo: workbookId)
            if !pass.isOpen { throw WorkbookError.passClosed(passId: passId) }
            return pass
        }
        if let pass = try newestPass(db, workbookId: workbookId, openOnly: true) { return pass }
        return try createPass(db, workbookId: workbookId, title: nil, at: at, client: client)
    }

    /// Resolves `workbookId?` + `passId?` for workbook-level reads: a named pass decides the workbook.
    func resolveWorkbook(_ db: Database, workbookId: String?, passId: String?) throws -> (String, Pass?) {
        if let passId {
            let pass = try requirePass(db, passId)
            if let workbookId { try checkPass(pass, belongsTo: workbookId) }
            return (pass.workbookId, pass)
        }
        let id = workbookId ?? catalog.defaultWorkbookId
        if catalog.pack(id) == nil { throw WorkbookError.workbookNotFound(workbookId: id) }
        return (id, try newestPass(db, workbookId: id, openOnly: false))
    }
}
