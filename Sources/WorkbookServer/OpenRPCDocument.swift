/// The OpenRPC document compiled into the binary from `schema/openrpc.json`.
public enum OpenRPCDocument {
    /// The document's bytes, exactly as committed.
    public static let bytes: [UInt8] = PackageResources.openrpc_json
}
