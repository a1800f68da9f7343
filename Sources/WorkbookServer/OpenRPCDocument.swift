import JSONRPC

/// The OpenRPC document compiled into the binary from `schema/openrpc.json`.
public enum OpenRPCDocument {
    /// The document's bytes, exactly as committed (pretty-printed; `workbook openrpc` prints these).
    public static let bytes: [UInt8] = PackageResources.openrpc_json

    /// The same document without insignificant whitespace: one line, as NDJSON requires
    /// (`rpc.discover` returns this).
    public static let compact: [UInt8] = JSONScanner.compact(bytes)
}
