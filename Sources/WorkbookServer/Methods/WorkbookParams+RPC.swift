import JSONRPC
import Workbook

extension RPCMethod where Params: WorkbookParams {
    /// Workbook params list their own keys; any other key is -32602.
    public static var paramKeys: [String]? { Params.keys }
}
