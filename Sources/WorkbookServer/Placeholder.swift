import Foundation
public enum ServerPlaceholder { public static var doc: String { String(decoding: PackageResources.openrpc_json, as: UTF8.self) } }
